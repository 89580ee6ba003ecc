def test_the_front_page_answers(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Safe Zones" in response.content
