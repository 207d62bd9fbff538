"""The demo life situations (categories): slug, German name, English name, position."""

CATEGORIES = [
    ("umzug-und-wohnen", "Umzug und Wohnen", "Moving and housing", 10),
    ("ausweise-und-dokumente", "Ausweise und Dokumente", "Identity documents", 20),
    ("familie", "Familie und Kinder", "Family and children", 30),
    ("hunde-und-tiere", "Hunde und Tiere", "Dogs and other animals", 40),
    ("jagd-und-fischerei", "Jagd und Fischerei", "Hunting and fishing", 50),
    ("ehrenamt", "Ehrenamt", "Volunteering", 60),
    ("bauen-und-grundstueck", "Bauen und Grundstück", "Building and land", 70),
    ("auto-und-verkehr", "Auto und Verkehr", "Car and traffic", 80),
    ("wirtschaft", "Gewerbe und Wirtschaft", "Business and trade", 90),
]
