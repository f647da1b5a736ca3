"""The MkDocs adapter: the only package of the generator that imports MkDocs (DESIGN §3)."""
