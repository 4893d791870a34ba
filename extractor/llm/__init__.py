"""The LLM fallback: the only place that talks to a model.

``stage`` plans which tables to ask about and merges the replies; ``fallback``
builds requests and checks replies (``ground``, ``schemas``, ``prompts``);
``client`` is the seam (``read_table``) with the replay and scripted clients,
``openai_client`` the real one (openai + instructor, imported only when a
real endpoint is used), ``cache`` the SQLite response cache, ``local`` the
offline models.
"""
