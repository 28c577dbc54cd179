"""Billing with everything up: a customer connected through Registration (meter installed on
30 September), a tariff created through the Tariff service, October's reading sent as a meter
data system sends it, a billing run started, and the bill read as staff read it: through the
cartable's API and its printable page, with the charge in the Ledger. A field technician
cannot see it.

    python billing_test.py CARTABLE_URL AMQP_URL"""
import http.cookiejar
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "deploy"))
sys.path.insert(0, os.path.join(here, ".."))
sys.path.insert(0, here)
from outside_system import OutsideSystem  # noqa: E402
import checking  # noqa: E402
from checking import check  # noqa: E402
from cartable_api import Cartable, eventually  # noqa: E402

BASE, AMQP = sys.argv[1], sys.argv[2]
office = Cartable(BASE)
system = OutsideSystem(AMQP, actor="system:mdm")
system.listen("registration.customer-registered.v1", "registration.meter-received.v1", "registration.connection-requested.v1",
              "registration.subscription-created.v1", "registration.meter-installed.v1", "registration.subscription-status-changed.v1",
              "registration.command-refused.v1", "tariff.tariff-created.v1", "tariff.command-refused.v1", "billing.readings-checked.v1",
              "billing.command-refused.v1")
run = uuid.uuid4().hex[:6].upper()


def command(message_type, body):
    kind, answer = system.answer(system.send(message_type, body))
    assert not kind.endswith("command-refused.v1"), answer
    return answer


# 10,000 a month, 1,000 a kWh to 100 and 2,000 above, VAT 10%: 240 kWh is 10,000 + 100,000 + 280,000, and 39,000 VAT.
tariff = f"T-BILL-{run}"
command("tariff.create-tariff.v1", {"tariff": {
    "code": tariff, "name": "Billing system test", "provider": "", "utility": "electricity", "useType": "residential", "region": "TEH-1",
    "currency": "IRR", "minorDigits": 0, "unit": "kWh", "references": {}}, "firstVersion": {
    "effectiveFrom": "2026-01-01", "fixedCharges": [{"name": "Meter rental", "amount": "10000", "per": "month"}],
    "energy": {"tierBasis": "month", "periods": [{"name": "all", "tiers": [{"upTo": "100", "price": "1000", "adjustment": "0"}, {"upTo": None, "price": "2000", "adjustment": "0"}]}],
               "weekdaySchedule": [[0] * 24] * 12, "weekendSchedule": [[0] * 24] * 12},
    "seasons": [], "weekendDays": [5], "holidays": [], "regionFactors": [], "discounts": [],
    "taxes": [{"name": "VAT", "percent": "10", "fixedPerMonth": None, "on": ["fixed", "energy"]}], "rounding": {"mode": "half-up", "per": "bill"}}, "reason": "system test"})
customer = command("registration.register-customer.v1", {"customer": {
    "kind": "person", "nationalId": str(uuid.uuid4().int)[:10], "firstName": "Parisa", "lastName": f"Billing{run}", "phones": ["+98 21 8800 0000"],
    "address": {"line1": "7 Azadi Avenue", "city": "Tehran", "country": "IR"}, "preferredLanguage": "fa"}})["customerNumber"]
serial = f"BILL-{run}"
command("registration.receive-meter.v1", {"meter": {
    "manufacturer": "Afzar Azma", "serialNumber": serial, "utility": "electricity", "model": "AZ-1", "registers": ["total"], "dials": 6, "multiplier": 1,
    "accuracyClass": 1, "nominalRating": "10(60) A", "yearOfManufacture": 2026, "seals": ["S-" + serial], "nextTestDue": "2034-06-30"}})
point = command("registration.request-connection.v1", {
    "customerNumber": customer, "utility": "electricity", "capacity": {"value": 25, "unit": "A"},
    "premises": {"address": {"line1": "7 Azadi Avenue", "city": "Tehran", "country": "IR"}, "region": "TEH-1",
                 "location": {"latitude": 35.7, "longitude": 51.33}}})["servicePointNumber"]
cycle = f"S{run}"
subscription = command("registration.create-subscription.v1", {
    "customerNumber": customer, "servicePointNumber": point, "useType": "residential", "tariffCode": tariff, "billingCycle": cycle,
    "startDate": "2026-10-01", "deposit": {"amount": 0, "currency": "IRR"}})["subscriptionNumber"]
command("registration.install-meter.v1", {"servicePointNumber": point, "manufacturer": "Afzar Azma", "serialNumber": serial,
                                         "readings": [{"register": "total", "index": 100}], "at": "2026-09-30T08:00:00Z"})
command("registration.activate-subscription.v1", {"subscriptionNumber": subscription, "reason": "connected"})

checked = command("billing.record-readings.v1", {"readings": [
    {"readingId": f"SYS-{run}-1", "manufacturer": "Afzar Azma", "serialNumber": serial, "register": "total", "index": 340,
     "readAt": "2026-10-31T08:00:00Z", "source": "actual"},
    {"readingId": f"SYS-{run}-2", "manufacturer": "Afzar Azma", "serialNumber": "NO-SUCH-METER", "register": "total", "index": 1,
     "readAt": "2026-10-31T08:00:00Z", "source": "actual"}]})
check(checked["stored"] == 1 and [p["field"] for p in checked["refused"]] == ["readings[1].serialNumber"], "the reading is stored, the unknown meter's refused")

system.send("billing.start-run.v1", {"runId": f"SYS-{run}", "cycle": cycle, "periodEnd": "2026-10-31", "issueDate": "2026-11-01"})


def completed():
    try:
        status = system.ask("billing.get-run.v1", {"runId": f"SYS-{run}"})
        return status if status.get("completedAt") else None
    except RuntimeError:
        return None


status = eventually("the run completes", completed, seconds=60)
check(status["billed"] == 1 and status["exceptions"] == [], f"the run bills the subscription ({status})")

code, bills = office.call("GET", f"/api/subscriptions/{subscription}/bills", user="maryam")
check(code == 200 and len(bills["bills"]) == 1, "maryam finds the bill")
bill_id = bills["bills"][0]["billId"]
code, record = office.call("GET", f"/api/bills/{bill_id}", user="maryam")
bill = record["bill"]
check(code == 200 and bill["consumption"] == {"total": 240} and bill["quote"]["total"] == 429_000 and bill["amountDue"] == 429_000,
      f"the bill charges 240 kWh: 429,000 ({bill['quote']['total']})")
check((bill["from"], bill["to"], bill["dueDate"]) == ("2026-10-01", "2026-10-31", "2026-11-15"), "October, due in 14 days")
code, _ = office.call("GET", f"/api/bills/{bill_id}", user="reza")
check(code == 404, "a field technician does not see bills")


def ledger_balance():
    try:
        return system.ask("ledger.get-balance.v1", {"subscriptionNumber": subscription})["totals"][0]["due"] or None
    except RuntimeError:
        return None


check(eventually("the ledger has the charge", ledger_balance) == 429_000, "the ledger has the bill's charge")

jar = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
jar.open(urllib.request.Request(BASE + "/sign-in", data=urllib.parse.urlencode({"username": "maryam", "password": "demo"}).encode()), timeout=20).read()
page = jar.open(BASE + f"/bills/{bill_id}", timeout=20).read().decode()
check(f"Billing{run}" in page and "7 Azadi Avenue" in page, "the printable bill names the customer and the address")
check("429,000 IRR" in page and "<svg" in page and "240" in page, "it shows the amount due, the consumption and its chart")
customer_page = jar.open(BASE + f"/customers/{customer}", timeout=20).read().decode()
check(f"/bills/{bill_id}" in customer_page, "the customer's page lists the bill")
system.close()
print(f"{checking.passed} checks passed")
