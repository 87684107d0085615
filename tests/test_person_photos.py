"""People's photos (issue 17): an upload must really be a JPEG, PNG or WebP image of at most 2 MB (the admin
says why not), is stored under MEDIA_ROOT, shown on the people page with its required description, and served
from this site (so the strict CSP's img-src 'self' admits it) when SERVE_MEDIA is on, as under `make run`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from site_project.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/site_project/person/add/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(kind="PNG", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


def add_person(client, photo, alt="Ana Silva smiling, in a white coat"):
    data = {"name": "Ana Silva", "credentials": "PharmD", "role": "", "bio": "", "conflicts_of_interest": "None"}
    return client.post(ADD_URL, {**data, "photo": photo, "photo_alt": alt, "account": ""})


def form_errors(response):
    return [str(error) for errors in response.context["adminform"].form.errors.values() for error in errors]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.png", b"<script>alert(1)</script>", "This file is not a JPEG, PNG or WebP image, or it is damaged."),
        ("cut.png", image_bytes()[:40], "This file is not a JPEG, PNG or WebP image, or it is damaged."),
        ("moving.png", image_bytes("GIF"), "This image is a GIF file; upload a JPEG, PNG or WebP photo."),
        ("photo.svg", image_bytes(), "File extension “svg” is not allowed."),
        ("huge.jpg", b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024), "This photo is 2.0 MB; upload one of at most 2 MB"),
    ],
)
def test_the_admin_refuses_what_is_not_a_photo_and_says_why(staff_client, media_root, name, content, message):
    response = add_person(staff_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert any(error.startswith(message) for error in form_errors(response)), form_errors(response)
    assert not Person.objects.exists()
    assert not any(media_root.rglob("*"))  # nothing stored


def test_a_photo_needs_its_description(staff_client):
    response = add_person(staff_client, SimpleUploadedFile("ana.png", image_bytes()), alt="")
    assert "Describe the photo for readers who cannot see it" in " ".join(form_errors(response))
    assert not Person.objects.exists()


@pytest.mark.parametrize(("kind", "name"), [("PNG", "ana.png"), ("JPEG", "ana.jpg"), ("WEBP", "ana.webp")])
def test_a_real_photo_is_stored_shown_with_its_description_and_served(
    staff_client, client, settings, media_root, kind, name
):
    content = image_bytes(kind)
    assert add_person(staff_client, SimpleUploadedFile(name, content)).status_code == 302
    person = Person.objects.get()
    assert (media_root / person.photo.name).read_bytes() == content

    response = client.get("/people/")
    html = response.text
    assert (
        f'<img class="person-photo" src="/media/{person.photo.name}" alt="Ana Silva smiling, in a white coat"' in html
    )
    assert "img-src 'self' data:" in response["Content-Security-Policy"]  # no wider than before

    settings.SERVE_MEDIA = True  # as under `make run`
    served = client.get(f"/media/{person.photo.name}")
    assert served.status_code == 200
    assert served["Content-Type"] == f"image/{'jpeg' if kind == 'JPEG' else kind.lower()}"
    assert b"".join(served.streaming_content) == content
    settings.SERVE_MEDIA = False  # production: the web server serves the folder
    assert client.get(f"/media/{person.photo.name}").status_code == 404


def test_media_serving_stays_inside_the_media_folder(client, settings, media_root):
    settings.SERVE_MEDIA = True
    (media_root.parent / "secret.txt").write_text("not for the web")
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/people/"):
        response = client.get(path)
        assert response.status_code in (400, 404)  # refused as suspicious, or not found
        assert b"not for the web" not in response.content


def test_a_person_without_a_photo_shows_no_image(client):
    make_person(name="Bo Chen")
    assert "<img" not in client.get("/people/").text.split('class="people-page"')[1]
