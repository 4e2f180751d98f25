"""The demo content builds."""


def test_demo_builds(demo_site):
    result = demo_site.build()
    assert "Brieven plooien voor de Gezinsbond" in demo_site.read("index.html")
    assert len(result.model.tasks) >= 15
