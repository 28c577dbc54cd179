"""The tariff manager's pages, end to end: a tariff created over the broker as the regulator's
import would send it (pika), then worked in the cartable's web pages as a browser posts them:
leila (a tariff manager) reads the fee tables and the schedule grid, prices a bill, publishes a
new version from the current one and compares the two; maryam (a clerk) may read but not
publish. The Tariff service's record is then read through the API: two versions, and the audit
naming leila and the fee she changed.

    python tariff_pages_test.py CARTABLE_URL AMQP_URL"""
import html
import http.cookiejar
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "deploy"))
sys.path.insert(0, here)
from outside_system import OutsideSystem  # noqa: E402
from cartable_api import Cartable, eventually  # noqa: E402

BASE, AMQP = sys.argv[1], sys.argv[2]
code = "T-" + uuid.uuid4().hex[:6].upper()
flat = [[0] * 24 for _ in range(12)]
weekday = [[1 if 17 <= h < 21 else 0 for h in range(24)] for _ in range(12)]
version = {
    "effectiveFrom": "2026-01-01", "fixedCharges": [{"name": "Service charge", "amount": "5.5", "per": "month"}],
    "energy": {"tierBasis": "month", "periods": [
        {"name": "off-peak", "tiers": [{"upTo": "650", "price": "0.0896", "adjustment": "0"}, {"upTo": None, "price": "0.0821", "adjustment": "0"}]},
        {"name": "peak", "tiers": [{"upTo": "650", "price": "0.19", "adjustment": "0"}, {"upTo": None, "price": "0.21", "adjustment": "0"}]}],
        "weekdaySchedule": weekday, "weekendSchedule": flat},
    "seasons": [], "weekendDays": [6, 7], "holidays": [], "regionFactors": [], "discounts": [], "taxes": [], "rounding": {"mode": "half-up", "per": "line"}}
tariff = {"code": code, "name": "Test time of use", "provider": "", "utility": "electricity", "useType": "residential", "region": "CENTRAL",
          "currency": "USD", "minorDigits": 2, "unit": "kWh", "references": {}}

regulator = OutsideSystem(AMQP, actor="system:regulator")
regulator.listen("tariff.tariff-created.v1", "tariff.command-refused.v1")
kind, _ = regulator.answer(regulator.send("tariff.create-tariff.v1", {"tariff": tariff, "firstVersion": version, "reason": "Tariff order"}), timeout=20)
assert kind == "tariff.tariff-created.v1", kind


class Browser:
    """A browser's session: a cookie jar and forms posted as a browser posts them."""

    def __init__(self, user):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, _, url = self.send("POST", "/sign-in", {"username": user, "password": "demo"})
        assert status == 200 and "/sign-in" not in url, f"{user} cannot sign in: {status} {url}"

    def send(self, method, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(BASE + path, data=data, method=method)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), path


leila, maryam = Browser("leila"), Browser("maryam")

status, page, _ = leila.send("GET", "/tariffs")
assert status == 200 and f'href="/tariffs/{code}"' in page, "the tariff is not listed"
status, page, _ = leila.send("GET", f"/tariffs/{code}?version=2026-01-01")
assert status == 200, status
text = html.unescape(page)
assert "0.0896" in text and "0 – 650 kWh" in text and "over 650 kWh" in text and "Service charge" in text, "the fee tables are not shown:\n" + text[:3000]
# The weekday grid: January's 17:00 to 21:00 in the peak period (1), the rest off-peak (0).
rows = re.findall(r"<tr><th>Jan</th>(.*?)</tr>", page)
cells = re.findall(r'class="p(\d)"', rows[0])
assert cells == [str(p) for p in weekday[0]], f"the weekday grid of January is {cells}"
assert "Publish a new version" in page, "a tariff manager is offered to publish"

# A bill priced on the page: a register total cannot be priced by a time-of-use tariff.
status, page, _ = leila.send("GET", f"/tariffs/{code}?" + urllib.parse.urlencode({"from": "2026-03-01", "to": "2026-03-31", "total": "0"}))
assert status == 200 and "give a register for each" in html.unescape(page), "a total on a time-of-use tariff is refused with the reason"

# The publish form, from the current version: the peak's first block from 0.19 to 0.2375.
status, page, _ = leila.send("GET", f"/tariffs/{code}/publish")
assert status == 200, status
csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
fields = {html.unescape(name): html.unescape(value) for name, value in re.findall(r'<input id="[^"]*" name="([^"]+)" value="([^"]*)"', page)}
assert fields["energy.periods[1].tiers[0].price"] == "0.19", fields
form = dict(fields, _csrf=csrf, effectiveFrom="2026-07-01", reason="Summer review")
wrong = dict(form, **{"energy.periods[1].tiers[0].price": "abc"})
status, page, _ = leila.send("POST", f"/tariffs/{code}/publish", wrong)
assert status == 422 and "is not a number" in html.unescape(page), f"a wrong fee is refused by field: {status}"
form["energy.periods[1].tiers[0].price"] = "0.2375"
status, page, url = leila.send("POST", f"/tariffs/{code}/publish", form)
assert status == 200 and "published=2026-07-01" in url, f"publishing: {status} {url}"

office = Cartable(BASE)


def recorded():
    status, record = office.call("GET", f"/api/tariffs/{code}", user="leila")
    return record if status == 200 and len(record["versions"]) == 2 else None


record = eventually("the Tariff service records the new version", recorded)
published = record["audit"][-1]
assert published["action"] == "published" and published["actor"] == "user:leila" and published["reason"] == "Summer review", published
assert published["changes"] == [{"field": "energy.periods[1].tiers[0].price", "before": "0.19", "after": "0.2375"}], published["changes"]

status, page, _ = leila.send("GET", f"/tariffs/{code}/compare?a=2026-01-01&b=2026-07-01")
assert status == 200 and "0.19" in page and "0.2375" in page, "the comparison shows the changed fee"

# A clerk reads tariffs but does not publish them.
status, _, _ = maryam.send("GET", f"/tariffs/{code}")
assert status == 200
status, _, _ = maryam.send("GET", f"/tariffs/{code}/publish")
assert status == 403, status
_, page, _ = maryam.send("GET", "/tariffs")
mine = dict(form, _csrf=re.search(r'name="_csrf" value="([^"]+)"', page).group(1), effectiveFrom="2026-08-01")
status, _, _ = maryam.send("POST", f"/tariffs/{code}/publish", mine)
assert status == 403, status
assert len(recorded()["versions"]) == 2
print(f"tariff pages: {code} read, priced, published from the current version and compared; a clerk may not publish")
regulator.close()
