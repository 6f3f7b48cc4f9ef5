"""The demo's first pages: each role lands on something to do."""


def test_coordinator_home_is_the_dashboard_with_charts(client, sign_in):
    sign_in("coordinator@engage.example")
    html = client.get("/").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in html
    for tile in ("tile-response-rates", "tile-consensus", "tile-involvement", "tile-statuses"):
        assert f'id="{tile}"' in html
    statuses = html.split('id="tile-statuses"')[1].split("</section>")[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="bar-list"' in statuses
    assert "on track" in statuses and "off track" in statuses
