"""Services of the postes app: one function per action that writes, in one transaction. One module per
family of actions (embauche, diagnostic, …)."""
