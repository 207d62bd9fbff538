"""BITV 2.0 beyond WCAG: the accessibility statement a tenant keeps (conformance, review date,
known barriers, response time), the feedback it receives, the arbitration body of its federal
state, and explanations in Leichte Sprache and German Sign Language."""
