-- Mirrors Vigil rule auth_bruteforce (a sequence rule, CEP in Vigil): five or more failed LogOns
-- against one user in a row within 10 minutes, then a successful LogOn within 10 minutes of the
-- last failure, all within 20 minutes; critical.
-- How: MATCH_RECOGNIZE over LogOn events per destination user: G{5,} then S.
-- Does NOT do what Vigil does: no resolution (Vigil resolves the alert an hour after the last
-- match), no one-alert-per-user-and-computer identity (a second incident is just another row),
-- no repeats, silences or inhibit rules.
SELECT *
FROM (SELECT destination_user, source_computer, success, ts FROM auth WHERE orientation = 'LogOn')
MATCH_RECOGNIZE (
  PARTITION BY destination_user
  ORDER BY ts
  MEASURES FIRST(G.ts) AS first_guess, LAST(G.ts) AS last_guess, COUNT(G.success) AS guesses,
           FIRST(G.source_computer) AS guessed_from, S.source_computer AS logged_on_from, S.ts AS logged_on_at
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (G{5,} S) WITHIN INTERVAL '20' MINUTE
  DEFINE
    G AS G.success = FALSE AND G.ts <= FIRST(G.ts) + INTERVAL '10' MINUTE,
    S AS S.success = TRUE AND S.ts <= LAST(G.ts) + INTERVAL '10' MINUTE
);
