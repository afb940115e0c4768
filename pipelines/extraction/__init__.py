"""Claim extraction in stages, each a module with one job and the data type it hands on:

1. document, sentences: the cleaned page as articles of blocks with roles (`Article`, `Block`)
2. inventory: every title the article names, plus known titles, and its subject (`TitleBook`)
3. titles, seasons, networks, dates: mentions in a sentence (`Mention`, `SeasonMention`)
4. frames (wordings in lexicon.toml), modality: status frames, negation/hedge/question checks
5. linking, coordination, arguments: the shows (every one a list names), seasons, network
   and date a frame is about
6. reading, lines, discourse: a sentence's claims, status lines ("X: Renewed", labelled
   lists, table rows), and the article walk (headings, labels, sections, facts)
7. consolidate: one claim per show, status and season (`Claim`)
"""
