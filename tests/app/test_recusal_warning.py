"""The judges' panel page warns when recusals leave an entrant with too few judges."""

from competition.models import Role


def test_trade_page_warns_about_thin_panels(client, login, make_event, make_delegation, make_trade,
                                            make_user, make_entrant):
    event = make_event(code="EV")
    home = make_delegation(event, code="A", name_zh="甲市")
    other = make_delegation(event, code="B", name_zh="乙市")
    trade = make_trade(event, code="T1")
    make_entrant(trade, home, names=("张三",))
    make_entrant(trade, other, names=("李四",))
    # three judges, two of them from 甲市: 张三 keeps only one judge who may mark him
    make_user(Role.JUDGE, event, trades=[trade], delegation=home)
    make_user(Role.JUDGE, event, trades=[trade], delegation=home)
    make_user(Role.JUDGE, event, trades=[trade], delegation=other)
    login(make_user(Role.ORGANIZER, event))
    client.post("/language", data={"lang": "en"})
    page = client.get("/manage/events/EV/trades/T1/").get_data(as_text=True)
    assert "Recusals leave 2 entrants with fewer than 3 judges" in page
    assert "张三 (甲市): 1 judges" in page
    assert "李四 (乙市): 2 judges" in page


def test_no_warning_when_every_entrant_keeps_three_judges(client, login, make_event, make_delegation,
                                                          make_trade, make_user, make_entrant):
    event = make_event(code="EV")
    home, other = make_delegation(event, code="A"), make_delegation(event, code="B")
    trade = make_trade(event, code="T1")
    make_entrant(trade, home)
    for _ in range(3):
        make_user(Role.JUDGE, event, trades=[trade], delegation=other)
    login(make_user(Role.ORGANIZER, event))
    client.post("/language", data={"lang": "en"})
    assert "Recusals leave" not in client.get("/manage/events/EV/trades/T1/").get_data(as_text=True)
