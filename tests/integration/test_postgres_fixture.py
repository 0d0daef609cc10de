import pytest
import sqlalchemy as sa


@pytest.mark.postgres
def test_throwaway_postgres_server_answers_queries(postgres_url):
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("select version()")).scalar_one()
    engine.dispose()
    assert version.startswith("PostgreSQL")
