"""One rule for a student's id, in every layout the grader meets."""

import json

from autograder.submission import student_id


def test_nbgrader_folder_and_gradescope_layouts(tmp_path):
    for step in ("submitted", "autograded"):
        assert student_id(tmp_path / "course" / step / "s123" / "assignment2") == "s123"
        assert student_id(tmp_path / "course" / step / "s123" / "hw2") == "s123"
    assert student_id(tmp_path / "submissions" / "alice") == "alice"
    assert student_id(tmp_path / "submissions" / "alice" / "assignment2") == "alice"
    metadata = tmp_path / "submission_metadata.json"
    metadata.write_text(json.dumps({"users": [{"id": 4242, "email": "a@b.c", "name": "A"}]}))
    assert student_id(tmp_path / "work" / "assignment2", metadata) == "4242"
    metadata.write_text(json.dumps({"users": [{"email": "a@b.c", "name": "A"}]}))
    assert student_id(tmp_path, metadata) == "a@b.c"
    metadata.write_text("{not json")
    assert student_id(tmp_path, metadata) == "gradescope-submission"
