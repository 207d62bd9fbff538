"""Shipped default texts in Leichte Sprache (German only: Leichte Sprache is a form of German).

Written to the rules of the Netzwerk Leichte Sprache: short sentences, one statement per
sentence, no passive, no abbreviations, hard words explained. A tenant replaces any of them in
the back office; `{name}` becomes the municipality's name."""

CONTENT = """Das ist die Internet-Seite von {name}.
Hier finden Sie Hilfe von der Verwaltung.
Die Verwaltung heißt auch: Amt.

Auf dieser Seite können Sie:
- lesen, was das Amt für Sie tut.
- lesen, wo das Amt ist.
- lesen, wann das Amt offen ist.
- einen Antrag stellen.
- einen Termin im Amt machen.

Ein Antrag ist ein Brief an das Amt.
Mit dem Antrag sagen Sie dem Amt: Ich möchte etwas.
Zum Beispiel: Ich möchte einen Ausweis.
Sie können den Antrag hier am Computer schreiben.
Dann schicken Sie den Antrag an das Amt.
Sie bekommen danach eine E-Mail.
In der E-Mail steht: Das Amt hat Ihren Antrag bekommen.

Manche Anträge kosten Geld.
Das Geld heißt: Gebühr.
Sie sehen die Gebühr vor dem Abschicken."""

NAVIGATION = """So finden Sie sich auf der Seite zurecht.

Oben auf jeder Seite ist ein farbiger Streifen.
Dort stehen Links.
Ein Link ist ein Wort zum Anklicken.
Dann kommen Sie auf eine andere Seite.

Der Link „Leistungen A bis Z“ zeigt alle Hilfen vom Amt.
Die Hilfen stehen nach dem Alphabet.
Der Link „Suche“ hilft Ihnen beim Finden.
Sie schreiben ein Wort in das Feld.
Dann zeigt die Seite passende Hilfen.

Der Link „Anmelden“ führt zu Ihrem Konto.
Im Konto sehen Sie Ihre Anträge.

Ganz unten auf jeder Seite stehen noch mehr Links.
Dort finden Sie das Impressum.
Im Impressum steht: Wer hat diese Seite gemacht?
Dort finden Sie auch die Erklärung zur Barrierefreiheit.

Sie können die Seite auch ohne Maus benutzen.
Sie drücken dann die Taste „Tab“.
So springen Sie von Link zu Link."""

STATEMENT = """Barriere-frei heißt:
Alle Menschen können die Seite gut benutzen.
Auch Menschen mit Behinderung.

Wir möchten eine barriere-freie Seite haben.
Das Gesetz sagt auch: Die Seite muss barriere-frei sein.
Wir prüfen die Seite regelmäßig.
Manche Teile sind noch nicht barriere-frei.
Diese Teile stehen in der Erklärung zur Barrierefreiheit.

Finden Sie eine Barriere?
Eine Barriere ist ein Hindernis.
Zum Beispiel: Sie können einen Text nicht lesen.
Dann schreiben Sie uns bitte.
Auf der Seite „Erklärung zur Barrierefreiheit“ ist ein Formular dafür.
Wir antworten Ihnen schnell.

Sind Sie mit unserer Antwort nicht zufrieden?
Dann können Sie sich an eine Schlichtungs-Stelle wenden.
Die Schlichtungs-Stelle hilft bei Streit.
Die Schlichtungs-Stelle kostet kein Geld."""

DEFAULTS = {"content": CONTENT, "navigation": NAVIGATION, "statement": STATEMENT}
