"""Writes that touch several models, one function per action, each in one transaction.

- diagnostic.py: storing an eligibility diagnosis;
- embauche.py: recording a hire (titulaire, affectation, eligibility diagnosis);
- demandes.py: the request workflow (filing, instruction, decision, acceptance);
- conventions.py: the convention lifecycle (signature, renewal, termination, avenants).
"""
