"""Alembic's entry point: runs the migrations on the connection :func:`geo.store.engine.migrate` passes.

The store migrates itself when it opens, inside the caller's transaction (which
holds the write lock), so there is no ``alembic.ini`` and no URL here.
"""

from alembic import context

context.configure(connection=context.config.attributes["connection"], transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
