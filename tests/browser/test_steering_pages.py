"""Steering pages in Chromium: allocation against the read model, downloads, statistics, report, access."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from pool.codes import referral_code
from api.reports import Shown, allocation_csv, input_sources, invoice_csv
from api.web.charts import sv_number, sv_percent, sv_sek
from tests.browser.conftest import SCREENSHOTS, LiveServer, login, screenshot
from tests.conftest import STAFF, SYSTEM
from tests.factories import MEMBERS, approved_family, referral_data

pytestmark = pytest.mark.browser
YEAR = date.today().year  # the budget year; its reference date is 1 November of the year before
REFERENCE = date(YEAR - 1, 11, 1)
EXPECTED_POOL = {"0184": 2, "0191": 2, "0163": 0, "0183": 0, "0114": 0, "0139": 0}  # the pool's own, a check
PLACED = {"0184": 180, "0191": 110, "0163": 150, "0183": 120, "0114": 90, "0139": 60}  # the members' figures


def doc_shot(page: Any, name: str) -> Path:
    """A viewport-size screenshot for the user guide (small, unlike the full-page ones)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def place(live: LiveServer, family: Any, municipality: str, kind: str, start: date, end: date | None = None) -> None:
    saved = live.pool.start_placement(STAFF, family_id=family, municipality=municipality, kind=kind,
                                      start_date=start, planned_end_date=start + timedelta(days=400),
                                      child_birth_month="2015-05")
    if end is not None:
        saved = live.pool.end_placement(STAFF, saved.id, end_date=end, reason="moved_home")
    live.settle(saved)


@pytest.fixture(scope="module")
def scenario(live_server: LiveServer) -> LiveServer:
    """Population figures for every member, a budget, placements around the reference date, an old referral."""
    live = live_server
    for n, code in enumerate(sorted(MEMBERS)):
        live.pool.record_child_population(SYSTEM, code, YEAR - 1, children=8_000 + 1_000 * n, source="SCB test")
        if code != "0183":  # Sundbyberg's figure is entered in the test, on the page
            live.pool.record_placed_children(SYSTEM, code, YEAR - 1, children=PLACED[code], source="IFO test")
    live.pool.set_budget(SYSTEM, YEAR, amount_sek="3000000.00")
    before = REFERENCE - timedelta(days=120)
    solna = approved_family(live.pool, kinds=["familjehem"])
    place(live, solna, "0184", "familjehem", before)
    place(live, solna, "0184", "familjehem", before + timedelta(days=30))
    sigtuna = approved_family(live.pool, kinds=["familjehem", "jourhem"])
    place(live, sigtuna, "0191", "familjehem", before)
    place(live, sigtuna, "0191", "jourhem", REFERENCE, end=REFERENCE)  # ends on the reference date: counts
    other = approved_family(live.pool, kinds=["familjehem"])
    place(live, other, "0163", "familjehem", before, end=REFERENCE - timedelta(days=1))  # ended before: no
    place(live, other, "0163", "familjehem", REFERENCE + timedelta(days=1))  # started after: no
    contact = approved_family(live.pool, kinds=["kontaktfamilj"])
    place(live, contact, "0114", "kontaktfamilj", before)  # not an out-of-home placement
    old_decision = date.today() - timedelta(days=200)
    saved = live.pool.register_referral(STAFF, municipality="0184",
                                        **referral_data(decision_date=old_decision.isoformat()))
    live.settle(saved)
    live.old_referral = saved.id  # type: ignore[attr-defined]
    return live


def cells(page: Any, table: str) -> dict[str, list[str]]:
    """Each body row of a table by its row header: the text of its cells."""
    out = {}
    for row in page.locator(f"{table} tbody tr").all():
        out[row.locator("th").inner_text().strip()] = [c.inner_text().strip() for c in row.locator("td").all()]
    return out


def test_allocation_page_matches_the_read_model_and_downloads(scenario: LiveServer, new_page: Any,
                                                               tmp_path: Path) -> None:
    page = new_page(width=1000, height=800)
    login(page, "stina.steering")
    page.get_by_role("link", name="Kostnadsfördelning").first.click()
    page.get_by_label("Budgetår").fill(str(YEAR))
    page.get_by_role("button", name="Visa").click()
    # Without Sundbyberg's own figure there is no allocation, and the page says whose figure is missing.
    expect(page.get_by_text("saknas för 0183 Sundbyberg")).to_be_visible()
    page.get_by_role("link", name="Placerade barn").click()
    page.get_by_label("År (den 1 november)").first.fill(str(YEAR - 1))
    page.get_by_role("button", name="Visa").click()
    page.get_by_label("Placerade barn i Sundbyberg").fill(str(PLACED["0183"]))
    page.locator("form[action$='/0183']").get_by_label("Källa").fill("IFO, uttag 3 nov")
    page.locator("form[action$='/0183']").get_by_role("button").click()
    expect(page.get_by_text(f"0183: {PLACED['0183']} placerade barn den 1 november {YEAR - 1} är sparat")).to_be_visible()

    page.get_by_role("link", name="Kostnadsfördelning").first.click()
    page.get_by_label("Budgetår").fill(str(YEAR))
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Kostnadsfördelning {YEAR}"
    assert "Preliminär" in page.locator("#allocation-status").inner_text()
    allocation = scenario.app.state.read_models.allocation(YEAR)
    rows = cells(page, "#table-fordelning")
    assert len(rows) == len(allocation.members) == 6
    for m in allocation.members:
        assert m.placed_children == PLACED[m.municipality] and m.pool_placements == EXPECTED_POOL[m.municipality]
        pool = sv_number(m.pool_placements) + (f" ({sv_percent(m.pool_share, 1)})" if m.pool_share is not None else "")
        assert rows[f"{m.municipality} {m.name}"] == [
            sv_number(m.children), sv_number(m.placed_children), pool, sv_percent(m.children_share, 2),
            sv_percent(m.placements_share, 2), sv_percent(m.share, 2), sv_sek(m.amount_sek),
            sv_sek(m.children_part_sek), sv_sek(m.placements_part_sek)]
    footer = page.locator("#table-fordelning tfoot td").all_inner_texts()
    assert footer[6] == sv_sek(allocation.total_sek) == sv_sek(3_000_000)
    assert footer[7] == footer[8] == sv_sek(1_500_000)  # each part column is exactly half the budget
    # The chart: an accessible SVG, one labelled bar segment per member and part that is not zero.
    chart = page.locator("svg#chart-allocation")
    assert chart.get_attribute("role") == "img"
    assert chart.locator("title").first.text_content() == f"Belopp per kommun {YEAR}"
    segments = chart.locator("rect title").all_text_contents()
    solna = next(m for m in allocation.members if m.municipality == "0184")
    assert f"Solna, Placeringsdel: {sv_sek(solna.placements_part_sek)}" in segments
    screenshot(page, "steering-allocation")
    page.evaluate("window.scrollTo(0, document.getElementById('fordelning').offsetTop)")
    doc_shot(page, "doc-styrgrupp-kostnadsfordelning")
    page.evaluate("window.scrollTo(0, 0)")

    sources = input_sources(scenario.app.state.read_models.members(), YEAR)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner tabellen som CSV").click()
    assert info.value.suggested_filename == f"kostnadsfordelning-{YEAR}.csv"
    info.value.save_as(tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes().decode("utf-8-sig") == allocation_csv(allocation, sources)
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF fakturaunderlag Solna").click()
    info.value.save_as(tmp_path / "solna.pdf")
    pdf = (tmp_path / "solna.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"0184" in pdf
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV fakturaunderlag Solna").click()
    info.value.save_as(tmp_path / "solna.csv")
    assert (tmp_path / "solna.csv").read_bytes().decode("utf-8-sig") == invoice_csv(Shown(allocation, sources), "0184")


def test_adoption_and_the_changes_since_adoption(scenario: LiveServer, new_page: Any) -> None:
    live = scenario
    live.settle(live.pool.record_placed_children(SYSTEM, "0183", YEAR - 1, children=PLACED["0183"]))
    page = new_page(width=1000, height=900)
    login(page, "stina.steering")
    page.goto(f"/styrgrupp/kostnadsfordelning?ar={YEAR}")
    adopted = live.app.state.read_models.allocation(YEAR)
    page.get_by_role("button", name=f"Fastställ fördelningen för {YEAR}").click()
    expect(page.get_by_text(f"Kostnadsfördelningen för {YEAR} är fastställd (version 1).")).to_be_visible()
    status = page.locator("#allocation-status").inner_text()
    assert "Fastställd" in status and "version 1 av 1" in status
    expect(page.get_by_text("Inga ändringar")).to_be_visible()
    # Later: a back-dated pool placement in Sollentuna and a corrected figure from Sigtuna.
    family = approved_family(live.pool, kinds=["familjehem"])
    place(live, family, "0163", "familjehem", REFERENCE - timedelta(days=10))
    live.settle(live.pool.record_placed_children(SYSTEM, "0191", YEAR - 1, children=PLACED["0191"] + 30,
                                                 source="IFO, rättad"))
    page.reload()
    rows = cells(page, "#table-fordelning")
    for m in adopted.members:  # the adopted amounts stand
        assert rows[f"{m.municipality} {m.name}"][6] == sv_sek(m.amount_sek)
    now = {m.municipality: m for m in live.app.state.read_models.allocation(YEAR).members}
    changes = cells(page, "#table-andringar")
    for m in adopted.members:
        row = changes[f"{m.municipality} {m.name}"]
        difference = now[m.municipality].amount_sek - m.amount_sek
        assert row[3] == sv_sek(m.amount_sek) and row[4] == sv_sek(now[m.municipality].amount_sek)
        assert row[5] == ("+" if difference > 0 else "") + sv_sek(difference)
    assert changes["0191 Sigtuna"][1] == f"{PLACED['0191']} → {PLACED['0191'] + 30}"
    assert changes["0163 Sollentuna"][2] == "0 → 1"
    screenshot(page, "steering-allocation-changes")
    # A new version needs a reason.
    page.get_by_role("button", name="Fastställ ny version").click()
    expect(page.get_by_text("Ange skälet till en ny version").first).to_be_visible()
    page.get_by_label("Skäl till den nya versionen").fill("Rättad uppgift från Sigtuna")
    page.get_by_role("button", name="Fastställ ny version").click()
    status = page.locator("#allocation-status").inner_text()
    assert "version 2 av 2" in status and "Rättad uppgift från Sigtuna" in status
    expect(page.get_by_text("Inga ändringar")).to_be_visible()
    page.get_by_role("link", name="1", exact=True).click()
    assert "version 1 av 2" in page.locator("#allocation-status").inner_text()
    assert cells(page, "#table-fordelning")["0191 Sigtuna"][6] == sv_sek(
        next(m for m in adopted.members if m.municipality == "0191").amount_sek)


def test_allocation_and_statistics_fit_a_narrow_screen(scenario: LiveServer, new_page: Any) -> None:
    page = new_page(width=390, height=844)
    login(page, "stina.steering")
    for path, name in ((f"/styrgrupp/kostnadsfordelning?ar={YEAR}", "steering-allocation-narrow"),
                       ("/styrgrupp/statistik", "steering-statistics-narrow")):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        screenshot(page, name)
    # Keyboard: the skip link comes first, then the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
    .map(e => e.name)"""


@pytest.mark.parametrize("path", [
    f"/styrgrupp/kostnadsfordelning?ar={YEAR}", "/styrgrupp/statistik", "/styrgrupp/ej-verkstallda",
    "/styrgrupp/budget", f"/styrgrupp/placerade-barn?ar={YEAR - 1}", "/admin/medlemmar", "/admin/medlemmar/ny",
    "/admin/medlemmar/0184", "/admin/befolkning", "/admin/befolkning/import", "/admin/anvandare",
    "/admin/anvandare/ny", "/admin/anvandare/adam.admin/losenord",
])
def test_every_page_has_one_h1_and_labelled_inputs(scenario: LiveServer, new_page: Any, path: str) -> None:
    page = new_page(width=360, height=740)
    login(page, "adam.admin")
    assert page.goto(path).status == 200
    assert page.locator("h1").count() == 1
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_allocation_page_explains_a_missing_budget(scenario: LiveServer, new_page: Any) -> None:
    page = new_page()
    login(page, "stina.steering")
    page.goto(f"/styrgrupp/kostnadsfordelning?ar={YEAR + 5}")
    expect(page.get_by_text(f"Ingen budget är satt för {YEAR + 5}.")).to_be_visible()
    page.goto("/styrgrupp/kostnadsfordelning?ar=tjugo")
    assert page.locator("#err-ar").inner_text().endswith("Ange ett år mellan 2000 och 2100.")


def test_statistics_page_renders_charts_tables_and_csv(scenario: LiveServer, new_page: Any, tmp_path: Path) -> None:
    page = new_page(width=1000, height=800)
    login(page, "pia.staff")  # pool staff follow the statistics too
    page.get_by_role("link", name="Statistik").click()
    page.get_by_label("Från och med").fill(f"{YEAR - 1}-01-01")
    page.get_by_label("Till och med").fill(f"{YEAR}-12-31")
    page.get_by_role("button", name="Visa").click()
    for heading in ("Tillgång mot efterfrågan", "Väntetider", "Från ansökan till placering", "Tid från beslut",
                    "Placeringar och sammanbrott", "Kostnad mot nytta", "Kostnad per placering",
                    "Nätverkshem och rekryterade hem", "Andel genom poolen per år"):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    assert page.locator("svg[role=img]").count() == 9
    assert page.locator("svg[role=img] desc").count() == 9
    placements = cells(page, "#table-placeringar")
    assert placements["0184 Solna"][0] == "2" and placements["0191 Sigtuna"][0] == "2"
    screenshot(page, "steering-statistics")
    page.evaluate("window.scrollTo(0, document.getElementById('placeringar').offsetTop)")
    doc_shot(page, "doc-styrgrupp-statistik")
    with page.expect_download() as info:
        page.locator("#placeringar").get_by_role("link", name="Ladda ner som CSV").click()
    info.value.save_as(tmp_path / "p.csv")
    text = (tmp_path / "p.csv").read_bytes().decode("utf-8-sig")
    assert text.startswith("section,item,key,value") and "placements,0184 Solna,started,2" in text
    assert "funnel" not in text
    page.get_by_label("Till och med").fill(f"{YEAR - 2}-01-01")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("#err-till")).to_be_visible()


def _last_quarter() -> tuple[int, int]:
    today = date.today()
    last = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    return last.year, (last.month - 1) // 3 + 1


def test_non_executed_report_and_csv(scenario: LiveServer, new_page: Any, tmp_path: Path) -> None:
    year, quarter = _last_quarter()
    referral = str(scenario.old_referral)  # type: ignore[attr-defined]
    # The municipality states why its decision is not executed, on the referral's page.
    page = new_page(width=1000, height=700)
    login(page, "sara.solna")
    page.goto(f"{scenario.url}/forfragningar/{referral}")
    page.get_by_label("Skäl").select_option("no_suitable_family")
    page.get_by_role("button", name="Spara skäl").click()
    page.get_by_text("Skälet är sparat.").wait_for()
    page = new_page(width=1000, height=700)
    login(page, "stina.steering")
    page.get_by_role("link", name="Ej verkställda beslut").click()
    page.get_by_label("År").fill(str(year))
    page.get_by_label("Kvartal").select_option(str(quarter))
    page.get_by_role("button", name="Visa").click()
    rows = cells(page, "#table-non-executed")
    assert list(rows) == ["0184 Solna"]
    assert rows["0184 Solna"][0] == referral_code(referral) and rows["0184 Solna"][1:3] == ["familjehem", "SoL"]
    assert rows["0184 Solna"][-1] == "Ingen lämplig familj"
    for empty in ("#table-not-reportable", "#table-executed-after-report"):
        assert page.locator(f"{empty} tbody").inner_text().strip() == "Inga uppgifter för det urvalet."
    screenshot(page, "steering-non-executed")
    doc_shot(page, "doc-styrgrupp-ej-verkstallda")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner som CSV").click()
    info.value.save_as(tmp_path / "n.csv")
    lines = (tmp_path / "n.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "status,municipality,name,code,kind,legal_basis,decision_date,days_waited,reason,executed_on"
    assert len(lines) == 2 and lines[1].startswith(f"not_executed,0184,Solna,{referral_code(referral)},familjehem,SoL,")
    assert lines[1].endswith(",no_suitable_family,")


@pytest.mark.parametrize("username, path", [
    ("stina.steering", "/admin/medlemmar"), ("stina.steering", "/admin/anvandare"),
    ("stina.steering", "/admin/befolkning/import"),
    ("sara.solna", "/styrgrupp/kostnadsfordelning"), ("sara.solna", "/styrgrupp/statistik"),
    ("sara.solna", "/styrgrupp/ej-verkstallda"), ("sara.solna", "/styrgrupp/budget"),
    ("sara.solna", f"/styrgrupp/kostnadsfordelning/{YEAR}/underlag/0184.pdf"), ("sara.solna", "/admin/medlemmar"),
    ("pia.staff", "/styrgrupp/kostnadsfordelning"), ("pia.staff", "/admin/anvandare"),
])
def test_roles_cannot_reach_other_pages(scenario: LiveServer, new_page: Any, username: str, path: str) -> None:
    page = new_page()
    login(page, username)
    response = page.goto(path)
    assert response.status == 403
    expect(page.get_by_role("heading", name="Ingen behörighet")).to_be_visible()
