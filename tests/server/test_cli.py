"""The server commands, through click's CliRunner: roster import, user add, login-link, seed-demo, migrate."""

from __future__ import annotations

import pytest
from support.cli import commands_on

from comments_server.ops.seed import seed_demo
from comments_server.store import users

from .conftest import Api


@pytest.fixture
def run(app, tmp_path, monkeypatch):
    """Run a server command against the test app's instance folder and site."""
    return commands_on(app, monkeypatch, instance=tmp_path / "instance")


def write_csv(tmp_path, text):
    """Write a roster CSV and return its path."""
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return str(path)


GOOD = """email,name,cohort,role,manager_email
bo.boss@example.com,Bo Boss,sales-a,manager,
ann.new@example.com,Ann New,sales-a,learner,bo.boss@example.com
ben.new@example.com,Ben New,sales-b,learner,bo.boss@example.com
ann.new@example.com,Ann New,sales-b,observer,bo.boss@example.com
"""


def test_roster_import_adds_people_roles_and_managers(run, tmp_path, db):
    result = run("roster", "import", write_csv(tmp_path, GOOD))
    assert result.exit_code == 0, result.output
    assert "Imported 4 rows (3 people)" in result.output
    ann = users.get_user(db, email="ann.new@example.com")
    boss = users.get_user(db, email="bo.boss@example.com")
    assert ann["manager_id"] == boss["id"]
    assert {(m["cohort_id"], m["role"]) for m in ann["memberships"]} == {
        ("sales-a", "learner"), ("sales-b", "observer")}


def test_roster_import_is_idempotent(run, tmp_path, db):
    path = write_csv(tmp_path, GOOD)
    run("roster", "import", path)
    before = (db.table("users").count, db.table("memberships").count)
    assert run("roster", "import", path).exit_code == 0
    assert (db.table("users").count, db.table("memberships").count) == before


def test_roster_errors_name_each_row_and_import_nothing(run, tmp_path, db):
    bad = """email,name,cohort,role,manager_email
ok.person@example.com,Ok Person,sales-a,learner,
not-an-email,Bad Email,sales-a,learner,
x.y@example.com,Wrong Cohort,sales-z,learner,
z.z@example.com,Wrong Role,sales-a,boss,
m.m@example.com,No Manager,sales-a,learner,ghost@example.com
"""
    count = db.table("users").count
    result = run("roster", "import", write_csv(tmp_path, bad))
    assert result.exit_code == 1
    assert "nothing imported" in result.output
    assert "row 3: email 'not-an-email' is not an email address" in result.output
    assert "row 4: unknown cohort 'sales-z'; use one of: ops-a, sales-a, sales-b" in result.output
    assert "row 5: role 'boss' must be one of learner, coach, manager, observer" in result.output
    assert "row 6: manager_email 'ghost@example.com' is neither in this file" in result.output
    assert "row 2" not in result.output
    assert db.table("users").count == count


def test_roster_missing_column_is_named(run, tmp_path):
    result = run("roster", "import", write_csv(tmp_path, "email,name\na@example.com,A\n"))
    assert result.exit_code == 1 and "missing column(s) cohort, role, manager_email" in result.output


def test_user_add_with_cohort_and_role(run, db):
    result = run("user", "add", "new.coach@example.com", "--name", "New Coach", "--cohort",
                 "sales-b", "--role", "coach")
    assert result.exit_code == 0, result.output
    person = users.get_user(db, email="new.coach@example.com")
    assert person["name"] == "New Coach" and person["memberships"][0]["role"] == "coach"


def test_user_add_admin_and_refusals(run, db):
    assert run("user", "add", "boss@example.com", "--admin").exit_code == 0
    assert users.get_user(db, email="boss@example.com")["admin"] is True
    assert "unknown cohort" in run("user", "add", "a@example.com", "--cohort", "nope").output
    assert run("user", "add", "not-an-email").exit_code == 2


def test_login_link_signs_in_and_lasts_seven_days(run, app, db):
    result = run("login-link", "lena.learner@example.com", "--base-url", "https://learn.example.com",
                 "--next", "/sales/")
    link = result.output.strip()
    assert link.startswith("https://learn.example.com/signin/?token=") and link.endswith("next=/sales/")
    expires = db.execute("SELECT expires, created FROM login_tokens ORDER BY id DESC").fetchone()
    assert expires[0][:10] > expires[1][:10]
    token = link.split("token=")[1].split("&")[0]
    assert Api(app.test_client()).redeem(token).json["user"]["email"] == "lena.learner@example.com"


def test_login_link_for_unknown_person(run):
    result = run("login-link", "nobody@example.com")
    assert result.exit_code == 1 and "roundtable user add" in result.output


def test_seed_demo_prints_a_link_per_role_and_is_idempotent(run, db):
    first = run("seed-demo", "--base-url", "http://127.0.0.1:9999")
    assert first.exit_code == 0, first.output
    for role in ("learner", "coach", "manager", "admin"):
        assert role in first.output
    assert first.output.count("http://127.0.0.1:9999/signin/?token=") == 4
    counts = {t: db.table(t).count for t in ("users", "memberships", "comments")}
    run("seed-demo")
    assert {t: db.table(t).count for t in ("users", "memberships", "comments")} == counts


def test_seed_demo_function_gives_cohort_people_and_posts(app, db):
    links = seed_demo(app, "http://example.test")
    assert [role for role, *_ in links] == ["learner", "coach", "manager", "admin"]
    learner_email = links[0][2]
    learner = users.get_user(db, email=learner_email)
    cohort = learner["memberships"][0]["cohort_id"]
    roles = [r["role"] for r in db.query("SELECT role FROM memberships WHERE cohort_id = ?", [cohort])]
    assert roles.count("learner") >= 4 and "coach" in roles and "manager" in roles
    manager = users.get_user(db, email=links[2][2])
    assert learner["manager_id"] == manager["id"]
    assert db.execute("SELECT COUNT(*) FROM comments").fetchone()[0] == 4 * 3  # 3 cohorts


def test_seeded_thread_reads_like_a_conversation(app, db):
    links = seed_demo(app, "http://example.test")
    api = Api(app.test_client())
    api.redeem(links[0][3].split("token=")[1])
    cohort = users.get_user(db, email=links[0][2])["memberships"][0]["cohort_id"]
    program = cohort.split("-")[0]
    activity = next(db.query("SELECT id FROM activities WHERE program_id = ? AND kind = 'roundtable' "
                             "ORDER BY id", [program]))["id"]
    comments = api.get(f"/api/activities/{activity}/thread").json["comments"]
    assert len(comments) == 4
    assert any(c["is_question"] and not c["question_open"] for c in comments)
    assert any("coach" in c["author"]["badges"] for c in comments)


def test_migrate_reports_applied_migrations(run):
    result = run("migrate")
    assert result.exit_code == 0 and "0001_initial" in result.output


def test_roster_refuses_a_name_with_a_line_break_naming_its_row(run, tmp_path, db):
    count = db.table("users").count
    text = ('email,name,cohort,role,manager_email\nok.person@example.com,Ok Person,sales-a,learner,\n'
            'eve@example.com,"Eve\nBcc: x@example.org",sales-a,learner,\n')
    result = run("roster", "import", write_csv(tmp_path, text))
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert "row 3: name 'Eve\\nBcc: x@example.org' contains a line break or control character" in result.output
    assert db.table("users").count == count


def test_user_add_refuses_a_name_with_a_control_character(run, db):
    result = run("user", "add", "eve@example.com", "--name", "Eve\rBcc: x@example.org")
    assert result.exit_code == 2 and "line break or control character" in result.output
    assert users.get_user(db, email="eve@example.com") is None


def test_user_sign_out_ends_every_session_of_a_person(run, app, sign_in):
    learner = sign_in("learner")
    assert learner.get("/api/session").json["user"] is not None
    result = run("user", "sign-out", "lena.learner@example.com")
    assert result.output.strip() == "lena.learner@example.com: 1 session ended."
    assert learner.get("/api/session").json["user"] is None
    assert run("user", "sign-out", "nobody@example.com").exit_code == 1


def test_roster_dates_memberships_joined_column_or_the_import_day(run, tmp_path, db, monkeypatch):
    """A late joiner's due dates count from `joined`: the column's date, else the day of the import by the clock."""
    monkeypatch.setenv("ROUNDTABLE_CLOCK", "2027-02-01T09:00:00Z")
    roster = """email,name,cohort,role,manager_email,joined
ann.new@example.com,Ann New,sales-a,learner,,2027-01-20
ben.new@example.com,Ben New,sales-a,learner,,
"""
    assert run("roster", "import", write_csv(tmp_path, roster)).exit_code == 0
    joined = {r["email"]: r["joined"] for r in db.query(
        "SELECT u.email, m.joined FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.cohort_id = 'sales-a'")}
    assert joined["ann.new@example.com"] == "2027-01-20" and joined["ben.new@example.com"] == "2027-02-01"
    # a new role keeps the date of joining
    moved = "email,name,cohort,role,manager_email,joined\nben.new@example.com,Ben New,sales-a,observer,,2027-03-01\n"
    assert run("roster", "import", write_csv(tmp_path, moved)).exit_code == 0
    assert users.joined_on(db, user_id=users.get_user(db, email="ben.new@example.com")["id"],
                           cohort_id="sales-a") == "2027-02-01"
    bad = "email,name,cohort,role,manager_email,joined\ncy.new@example.com,Cy New,sales-a,learner,,20/01/2027\n"
    result = run("roster", "import", write_csv(tmp_path, bad))
    assert result.exit_code == 1
    assert "row 2: joined '20/01/2027' is not a date; write it as YYYY-MM-DD or leave it empty (today)" in result.output
