"""The journey program (tests/browser/journey_program: one module with every activity kind) on the
real server, with a scene a person would meet in week three: a post, a question to the author, a
plan waiting for its manager, two presentations allocated to each other for review, a reflection,
a forum topic, a blog post and a wiki page. Used by the link-following and accessibility tests."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.live import LiveServer, free_port, run_cli

JOURNEY_PROGRAM = Path(__file__).resolve().parents[1] / "browser" / "journey_program"
MODULE_PATH = "/team/first-call/"
MODULE = "team/first-call"
PEOPLE = [  # email, name, cohort, role, manager_email
    ("mona@example.com", "Mona Manager", "team-cohort", "manager", ""),
    ("lea@example.com", "Lea Learner", "team-cohort", "learner", "mona@example.com"),
    ("liam@example.com", "Liam Learner", "team-cohort", "learner", "mona@example.com"),
    ("cora@example.com", "Cora Coach", "team-cohort", "coach", ""),
]
AUTHOR = ("ada@example.com", "Ada Author")  # the module's author: no cohort, told of questions
ADMIN = ("root@example.com", "Root Admin")


@dataclass
class Scene:
    """What the scene made: the ids a notification's link names."""

    comment_id: int = 0
    plan_id: int = 0
    submissions: dict = field(default_factory=dict)  # learner email -> submission id
    question_id: int = 0
    topic_id: int = 0
    post_id: int = 0


def build_journey_site(folder: Path, port: int) -> Path:
    """Copy the journey program into folder and build it for a server on port; return site/."""
    program = folder / "journey_program"
    shutil.copytree(JOURNEY_PROGRAM, program)
    with open(program / "mkdocs.yml", "a") as f:
        f.write(f"site_url: http://127.0.0.1:{port}/\n")
    run_cli("build", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=program)
    return program / "site"


def start_journey_server(site: Path, instance: Path, port: int) -> LiveServer:
    """Start the real server on the journey site with its people (the author and an admin too)."""
    server = LiveServer(site, instance, port).start()
    server.add_people(PEOPLE)
    for (email, name), extra in ((AUTHOR, ()), (ADMIN, ("--admin",))):
        server.cli("user", "add", email, "--name", name, *extra)
    return server


def _ok(response, status=(200, 201)):
    """Return a response's JSON, failing the test with its body unless the status is expected."""
    assert response.status_code in status, f"{response.request.method} {response.url}: {response.text}"
    return response.json()


def set_scene(server: LiveServer) -> Scene:
    """Play the scene through the API as its people would; return the ids it made."""
    scene, url = Scene(), server.url
    lea, liam = server.api_as("lea@example.com"), server.api_as("liam@example.com")
    thread = _ok(lea.get(f"{url}/api/activities/{MODULE}/roundtable/thread"))["thread"]["id"]
    scene.comment_id = _ok(lea.post(f"{url}/api/threads/{thread}/comments",
                                    json={"body": "I open with **what changed** since we last spoke."}))["comment"]["id"]
    plan = _ok(lea.post(f"{url}/api/activities/{MODULE}/plan/plan", json={"body": "Three open questions, then listen."}))
    scene.plan_id = plan["plan"]["id"]
    _ok(lea.post(f"{url}/api/plans/{scene.plan_id}/submit", json={}))
    for email, http in (("lea@example.com", lea), ("liam@example.com", liam)):
        made = _ok(http.post(f"{url}/api/activities/{MODULE}/presentation/presentation",
                             json={"link": f"https://example.com/{email.split('@')[0]}-pitch"}))
        scene.submissions[email] = made["submission"]["id"]
    _ok(lea.post(f"{url}/api/activities/{MODULE}/reflection/reflection", json={"body": "Next time I will pause longer."}))
    asked = _ok(lea.post(f"{url}/api/modules/{MODULE}/questions", json={"body": "Why open questions first?"}))
    scene.question_id = asked["question"]["id"]
    topic = _ok(lea.post(f"{url}/api/forums/boards/team/topics", json={"title": "Cold openers", "body": "Which work?"}))
    scene.topic_id = topic["topic"]["id"]
    post = _ok(liam.post(f"{url}/api/blogs/posts", json={"title": "My first call", "body": "It went fine."}))
    scene.post_id = post["post"]["id"]
    _ok(liam.post(f"{url}/api/wiki/team/pages/Openers", json={"body": "Start with [[Questions]].", "base_revision": 0}))
    return scene


@pytest.fixture(scope="session")
def journey_port() -> int:
    """The port of the journey server, known before the build (site_url)."""
    return free_port()


@pytest.fixture(scope="session")
def journey_site(tmp_path_factory, journey_port) -> Path:
    """The journey program, built once per session."""
    return build_journey_site(tmp_path_factory.mktemp("journey-program"), journey_port)
