"""A bill dispute end to end through the cartable's HTTP API: maryam the clerk records what the
customer contests and the Ledger holds it (the first amount, larger than the bill, is refused
and comes back to her with the reason); omid in finance investigates with the statement and the
bill on his task's page, and accepts part of it; maryam tells the customer. A second dispute is
rejected and its hold released. The accounts are read from the Ledger over the broker (pika),
as Billing would, and through the cartable as staff do.

    python bill_dispute_test.py CARTABLE_URL AMQP_URL"""
import html
import http.cookiejar
import os
import random
import sys
import urllib.parse
import urllib.request

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
billing = OutsideSystem(AMQP, actor="system:billing")
billing.listen("ledger.balance-changed.v1", "ledger.command-refused.v1")
subscription = f"S-{random.randint(10_000_000, 99_999_999)}-0"
customer = f"C-{random.randint(10_000_000, 99_999_999)}-0"


def balance():
    return billing.ask("ledger.get-balance.v1", {"subscriptionNumber": subscription})["totals"][0]


def posted(message_type, body):
    kind, answer = billing.answer(billing.send(message_type, body))
    assert kind == "ledger.balance-changed.v1", answer
    return answer


# The accounts, as a migration opens them, and two bills, as Billing posts them.
billing.send("ledger.open-account.v1", {"code": "revenue:electricity:E-RES-1", "currency": "IRR", "name": "Revenue, electricity residential"})
billing.send("ledger.open-subscription-accounts.v1", {"subscriptionNumber": subscription, "customerNumber": customer, "currency": "IRR"})


def opened():
    try:
        return balance()
    except RuntimeError:
        return None


eventually("the ledger opens the accounts", opened)
bills = [(f"B-{subscription}-10", "2026-10-01", "2026-10-15", 1_000_000), (f"B-{subscription}-11", "2026-11-01", "2026-11-15", 800_000)]
posted("ledger.post-bill-charges.v1", {"charges": [
    {"billId": bill, "subscriptionNumber": subscription, "currency": "IRR", "issueDate": issued, "dueDate": due,
     "lines": [{"account": "revenue:electricity:E-RES-1", "amount": energy}, {"account": "tax:vat:IRR", "amount": energy // 10}]}
    for bill, issued, due, energy in bills]})
check(balance()["due"] == 1_980_000, "two bills are due: 1,100,000 and 880,000")

# 1. The clerk records the dispute; an amount larger than the bill comes back to her.
october = bills[0][0]
status, started = office.start("reza", "bill-dispute", {"subscriptionNumber": subscription, "billId": october, "disputedAmount": 1, "complaint": "x"})
check(status in (403, 404), f"a field technician may not open a dispute ({status})")
status, started = office.start("maryam", "bill-dispute", {
    "customerNumber": customer, "subscriptionNumber": subscription, "billId": october, "disputedAmount": 5_000_000,
    "complaint": "The meter was read twice in October"})
check(status == 202, "maryam records the dispute")
dispute = started["instanceId"]
correction = office.task("maryam", dispute, "correct")
status, shown = office.call("GET", f"/api/tasks/{correction['id']}", user="maryam")
check("less than 5000000" in shown["variables"]["refusal"], f"the Ledger's refusal comes back to the clerk: {shown['variables']['refusal']}")
check(balance()["held"] == 0, "and nothing is held")
status, _ = office.work("maryam", dispute, "correct", {
    "customerNumber": customer, "subscriptionNumber": subscription, "billId": october, "disputedAmount": 440_000,
    "complaint": "The meter was read twice in October"})
check(status == 200, "she corrects the amount")
investigation = office.task("omid", dispute, "investigate")
held = balance()
check(held["held"] == 440_000 and held["due"] == 1_540_000, f"the Ledger holds 440,000 and it is not due meanwhile: {held}")

# 2. Finance sees the account on the task: the API's and the page's.
status, account = office.call("GET", f"/api/subscriptions/{subscription}/account", user="omid")
check(status == 200 and [i["billId"] for i in account["openItems"]] == [october, bills[1][0]], "omid reads the open bills")
check(account["balance"]["held"] == 440_000 and account["statement"]["closing"] == 1_980_000, "and the statement's closing balance")
status, _ = office.call("GET", f"/api/subscriptions/{subscription}/account", user="reza")
check(status == 404, "a field technician may not read accounts")
jar = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
jar.open(urllib.request.Request(BASE + "/sign-in", data=urllib.parse.urlencode({"username": "omid", "password": "demo"}).encode()), timeout=20).read()
page = html.unescape(jar.open(BASE + f"/tasks/{investigation['id']}", timeout=20).read().decode())
check(f"Account of {subscription}" in page and "Held in disputes" in page and "440,000" in page, "the task's page shows the balance with what is held")
check(f"{october} (this dispute)" in page and f"Bill {october}" in page and "Closing balance" in page, "the disputed bill and the statement")

# 3. Part of it is accepted: a credit note against the bill's lines, decided by omid.
status, _ = office.work("omid", dispute, "investigate", {"decision": "accepted", "acceptedAmount": 220_000, "findings": "Half was a duplicate read"})
check(status == 200, "omid accepts 220,000")
informing = office.task("maryam", dispute, "inform")
after = balance()
check(after["held"] == 0 and after["due"] == 1_760_000, f"the hold is gone and 220,000 credited: {after}")
statement = billing.ask("ledger.get-statement.v1", {"subscriptionNumber": subscription, "from": "2026-01-01", "to": "2030-12-31"})
decided = [line for line in statement["lines"] if line["kind"] == "dispute-resolution"]
check(len(decided) == 1 and decided[0]["credit"] == 220_000 and "user:omid" in decided[0]["memo"], f"the statement shows the credit, decided by omid: {decided}")
status, _ = office.work("maryam", informing["instanceId"], "inform", {"informedBy": "phone", "informNote": "Called at 10:40"})
check(status == 200, "maryam tells the customer")
office.ended("maryam", dispute)
check(billing.ask("ledger.check.v1", {})["sound"], "the books balance")

# 4. A dispute rejected: the hold is released, the amount due again.
status, started = office.start("maryam", "bill-dispute", {
    "customerNumber": customer, "subscriptionNumber": subscription, "billId": bills[1][0], "disputedAmount": 300_000, "complaint": "Too high"})
second = started["instanceId"]
office.task("omid", second, "investigate")
check(balance()["held"] == 300_000, "the second dispute holds 300,000")
status, _ = office.work("omid", second, "investigate", {"decision": "rejected", "findings": "Readings confirmed on site"})
office.task("maryam", second, "inform")
released = balance()
check(released["held"] == 0 and released["due"] == 1_760_000, f"rejected, the 300,000 is due again: {released}")
billing.close()
print(f"{checking.passed} checks passed")
