// The Postgres project: the same scenario tests, with every stack's store in a fresh PostgreSQL
// database instead of a SQLite file (test/helpers/stack.ts reads this).
process.env.PAPRIKA_TEST_STORE = 'postgres';
