-- Deliberately bad: TIMESTAMP without time zone must make lint fail (exit 5).
CREATE TABLE events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL
);
