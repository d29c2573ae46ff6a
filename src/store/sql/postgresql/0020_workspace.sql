-- The screens as a workspace (issue 22).
--
-- An account number found however it is typed (item 2): a teller types
-- 0012100000001 for 0012-100-000001, or spaces it as the passbook does.
-- The number as stored keeps its punctuation (it is shown so); this index
-- is on the number without dashes, spaces, dots and slashes, and the search
-- (warehouse/c360.c, by_account) asks by the same expression.  A card's
-- number is stored as its keyed hash (pan:...), which has none of them: a
-- card is found by its digits already.  Written as both stores run it (an
-- index on an expression, in PostgreSQL's double parentheses).
--
-- PostgreSQL: the same statements as ../sqlite/0020_workspace.sql.
CREATE INDEX account_number_plain ON account
    ((replace(replace(replace(replace(number, '-', ''), ' ', ''), '.', ''), '/', '')));

-- The 360 gains the home branch of each related party (item 3: a viewer
-- sees a relative of another branch by name and relation, without a link):
-- the kept documents are made again as they are next asked for.
DELETE FROM c360_doc;

-- Follow-ups due, as a worklist per person and branch (item 12): the notes
-- with a follow-up date, by that date.
CREATE INDEX interaction_follow_up ON interaction(follow_up_on) WHERE follow_up_on IS NOT NULL;
