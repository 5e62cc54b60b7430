"""Cornell movie dialogs (with and without the conversations file) and DailyDialog."""

from __future__ import annotations

from simulacra.ingest import IngestConfig, run
from simulacra.schema import read_conversations

LINES = ("L5 +++$+++ u1 +++$+++ m0 +++$+++ BEN +++$+++ Fine .\r\n"
         "L3 +++$+++ u0 +++$+++ m0 +++$+++ ANA +++$+++ How are you ?\r\n"
         "L12 +++$+++ u3 +++$+++ m1 +++$+++ CY +++$+++ Caf\xe9 ?\r\n"
         "L1 +++$+++ u0 +++$+++ m0 +++$+++ ANA +++$+++ Hi .\r\n"
         "L13 +++$+++ u3 +++$+++ m1 +++$+")


def _turns(conv):
    return [(m.speaker, m.text, m.source_id) for m in conv.messages]


def test_cornell_latin1_reverse_order_and_cut_line(ingest):
    m0, m1 = ingest("movie_lines.txt", LINES.encode("latin-1"))
    assert _turns(m0) == [("ANA", "Hi .", "L1"), ("ANA", "How are you ?", "L3"), ("BEN", "Fine .", "L5")]
    assert _turns(m1) == [("CY", "Café ?", "L12")]
    assert "cut off" in ingest.manifest["warnings"][0]


def test_cornell_with_conversations_file(tmp_path):
    (tmp_path / "movie_lines.txt").write_bytes(LINES.encode("latin-1"))
    (tmp_path / "movie_conversations.txt").write_text("u0 +++$+++ u1 +++$+++ m0 +++$+++ ['L3', 'L5']\n")
    (conv,) = read_conversations(run(IngestConfig(inputs=[tmp_path / "movie_lines.txt"], out=tmp_path / "run")))
    assert _turns(conv) == [("ANA", "How are you ?", "L3"), ("BEN", "Fine .", "L5")]


def test_dailydialog(ingest):
    convs = ingest("dialogues_text.txt", "Hi , how are you ? __eou__ Fine , thanks . __eou__ Good . __eou__\n"
                                         "Coffee ? __eou__ Sure . __eou__\n")
    assert [[(m.speaker, m.text) for m in c.messages] for c in convs] == [
        [("A", "Hi , how are you ?"), ("B", "Fine , thanks ."), ("A", "Good .")],
        [("A", "Coffee ?"), ("B", "Sure .")]]
