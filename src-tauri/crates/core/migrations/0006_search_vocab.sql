-- The search index's vocabulary, one row per distinct word (no data of its own: FTS5 reads it
-- from search_fts). The search box expands a word being typed ("juar") into the few whole
-- words it starts ("juarez") and asks FTS5 for those: a prefix query makes FTS5 merge the
-- whole doclist of every matching word on each call, an exact word is walked lazily.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
