"""Data of the demo catalogue, which `platform/catalog/demo.py` seeds: life situations
(`categories`), services (`district_services`, `municipality_services`, each made with
`service_entry`) and offices with their opening hours (`offices`). Plain data, kept apart from the
seeding code so each file stays readable."""
