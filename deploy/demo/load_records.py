"""The demo's records, sent as outside systems would: over the broker, with pika. Customers
(the CRM), meters into stock (the stores), two connected installations (the connection,
subscription, meter and activation commands a migration from an older system would send), and
the tariffs they are billed by (each tariff created with its first version, later versions
published after it), the installations' meter readings for October and November, billed by
two billing runs a cycle (the ledger's accounts open from Registration's and Tariff's events),
and the first bill of one of them paid.
What is already there is left as it is, so a second `make run` changes nothing.

    python load_records.py AMQP_URL DEMO_FOLDER"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from outside_system import OutsideSystem  # noqa: E402

folder = sys.argv[2]
system = OutsideSystem(sys.argv[1], actor="system:demo")
system.listen("registration.customer-registered.v1", "registration.meter-received.v1", "registration.connection-requested.v1",
              "registration.subscription-created.v1", "registration.meter-installed.v1", "registration.subscription-status-changed.v1",
              "registration.command-refused.v1", "tariff.tariff-created.v1", "tariff.version-published.v1", "tariff.command-refused.v1",
              "ledger.balance-changed.v1", "ledger.command-refused.v1", "ledger.payment-received.v1")


def command(name, body, service="registration"):
    """Sends a command; its answering event, or None when there is nothing new to say."""
    sent = system.send(f"{service}.{name}.v1", body)
    try:
        kind, event = system.answer(sent, timeout=5)
    except TimeoutError:
        return None
    if kind.endswith(".command-refused.v1"):
        raise SystemExit(f"{name} refused: {event['problems']}")
    return event


print("demo tariffs:")
for entry in json.load(open(os.path.join(folder, "tariffs.json"))):
    code = entry["tariff"]["code"]
    known = {v["effectiveFrom"] for v in system.ask("tariff.get-tariff.v1", {"tariffCode": code}).get("versions", [])} if any(
        t["tariff"]["code"] == code for t in system.ask("tariff.find-tariffs.v1", {})["tariffs"]) else set()
    for index, (version, reason) in enumerate(zip(entry["versions"], entry["reasons"])):
        if version["effectiveFrom"] in known:
            continue
        if index == 0:
            command("create-tariff", {"tariff": entry["tariff"], "firstVersion": version, "reason": reason}, service="tariff")
        else:
            command("publish-version", {"tariffCode": code, "version": version, "reason": reason}, service="tariff")
    print(f"  {code}: {entry['tariff']['name']}, {len(entry['versions'])} version(s)")


print("demo customers:")
for customer in json.load(open(os.path.join(folder, "customers.json"))):
    event = command("register-customer", {"customer": customer})
    print(f"  {event['customerNumber'] if event else 'already registered:'} {customer.get('lastName') or customer.get('organisationName')}")
print("demo meters in stock:")
for meter in json.load(open(os.path.join(folder, "meters.json"))):
    print(f"  {meter['manufacturer']} {meter['serialNumber']}" + ("" if command("receive-meter", {"meter": meter}) else " (already there)"))
print("demo installations:")
new_subscriptions = []
for installation in json.load(open(os.path.join(folder, "installations.json"))):
    identifier = installation.get("nationalId") or installation["companyRegistrationNumber"]
    number = system.ask("registration.find-customers.v1", {"text": identifier})["customers"][0]["customerNumber"]
    if system.ask("registration.get-customer.v1", {"customerNumber": number})["subscriptions"]:
        print(f"  {number}: already connected")
        continue
    point = command("request-connection", {"customerNumber": number, "premises": installation["premises"], "utility": installation["utility"],
                                           "capacity": installation["capacity"]})["servicePointNumber"]
    subscription = command("create-subscription", {
        "customerNumber": number, "servicePointNumber": point, "useType": installation["useType"], "tariffCode": installation["tariffCode"],
        "billingCycle": installation["billingCycle"], "startDate": "2026-10-01", "deposit": installation["deposit"]})["subscriptionNumber"]
    command("install-meter", {"servicePointNumber": point, **installation["meter"], "readings": [{"register": "total", "index": installation["reading"]}],
                              "at": "2026-09-30T08:00:00Z"})
    command("activate-subscription", {"subscriptionNumber": subscription, "reason": "Migrated from the former customer system"})
    new_subscriptions.append((subscription, installation))
    print(f"  {number}: {subscription} on {point}, meter {installation['meter']['serialNumber']}")

print("demo ledger:")
# Accounts open from Registration's and Tariff's events; tariffs and subscriptions older than the
# ledger (an instance that ran before it) get theirs as a migration would open them.
for entry in json.load(open(os.path.join(folder, "tariffs.json"))):
    tariff = entry["tariff"]
    system.send("ledger.open-account.v1", {"code": f"revenue:{tariff['utility']}:{tariff['code']}", "currency": tariff["currency"],
                                          "name": f"Revenue, {tariff['name']}"})


def ledger_command(name, body):
    """A ledger command, sent again while the accounts it names are still being opened."""
    for attempt in range(10):
        sent = system.send(f"ledger.{name}.v1", body)
        try:
            kind, event = system.answer(sent, timeout=5)
        except TimeoutError:
            return None  # recorded before: nothing new to say
        if not kind.endswith(".command-refused.v1"):
            return event
        if "no account" not in str(event["problems"]) or attempt == 9:
            raise SystemExit(f"{name} refused: {event['problems']}")
        time.sleep(0.5)


for installation in json.load(open(os.path.join(folder, "installations.json"))):
    identifier = installation.get("nationalId") or installation["companyRegistrationNumber"]
    number = system.ask("registration.find-customers.v1", {"text": identifier})["customers"][0]["customerNumber"]
    subscription = system.ask("registration.get-customer.v1", {"customerNumber": number})["subscriptions"][0]["subscriptionNumber"]
    for attempt in range(50):
        try:
            system.ask("ledger.get-balance.v1", {"subscriptionNumber": subscription})
            break
        except RuntimeError:
            if attempt == 10:
                system.send("ledger.open-subscription-accounts.v1", {"subscriptionNumber": subscription, "customerNumber": number, "currency": "IRR"})
            time.sleep(0.2)
    print(f"  {subscription}: accounts open")

print("demo billing:")
# Tax accounts of tariffs older than the ledger's opening them from Tariff's events.
for entry in json.load(open(os.path.join(folder, "tariffs.json"))):
    for tax in {t["name"] for version in entry["versions"] for t in version.get("taxes", [])}:
        word = "".join(c if c.isascii() and c.isalnum() else " " for c in tax.lower()).split()[0]
        system.send("ledger.open-account.v1", {"code": f"tax:{word}:{entry['tariff']['currency']}", "currency": entry["tariff"]["currency"],
                                              "name": f"{tax} payable"})
system.listen("billing.readings-checked.v1", "billing.command-refused.v1")


def billing_run(cycle, month, period_end, issued):
    run_id = f"DEMO-{cycle}-{month}"
    system.send("billing.start-run.v1", {"runId": run_id, "cycle": cycle, "periodEnd": period_end, "issueDate": issued})
    for _ in range(120):
        try:
            run = system.ask("billing.get-run.v1", {"runId": run_id})
            if run.get("completedAt"):
                print(f"  run {run_id}: {run['billed']} billed, {run['skipped']} skipped, {len(run['exceptions'])} not billed"
                      + "".join(f"\n    {e['subscriptionNumber']}: {e['reason']}" for e in run["exceptions"]))
                return
        except RuntimeError:
            pass  # not started yet
        time.sleep(0.5)
    raise SystemExit(f"billing run {run_id} did not complete")


# A month's use each: a household's kWh, a bakery's m3 of gas.
use = {"electricity": (240, 310), "gas": (180, 260)}
for subscription, installation in new_subscriptions:
    october, november = use.get(installation["utility"], (20, 25))
    start = installation["reading"]
    meter = installation["meter"]
    sent = system.send("billing.record-readings.v1", {"readings": [
        {"readingId": f"DEMO-{meter['serialNumber']}-{day}", "manufacturer": meter["manufacturer"], "serialNumber": meter["serialNumber"],
         "register": "total", "index": index, "readAt": f"{day}T08:00:00Z", "source": "actual"}
        for day, index in (("2026-10-31", start + october), ("2026-11-30", start + october + november))]})
    kind, checked = system.answer(sent)
    print(f"  {subscription}: {checked['stored']} readings stored" + (f", refused {checked['refused']}" if checked["refused"] else ""))
cycles = sorted({installation["billingCycle"] for _, installation in new_subscriptions})
for cycle in cycles:
    billing_run(cycle, "2026-10", "2026-10-31", "2026-11-01")
# The household pays its October bill; the bakery does not.
for subscription, installation in new_subscriptions[:1]:
    october = system.ask("billing.find-bills.v1", {"subscriptionNumber": subscription})["bills"][-1]
    ledger_command("record-payments", {"payments": [{
        "paymentId": f"DEMO-PAY-{subscription}-1", "subscriptionNumber": subscription, "channel": "bank",
        "amount": {"amount": october["amountDue"], "currency": october["currency"]}, "valueDate": "2026-11-10", "reference": "Shaparak 4411"}]})
    print(f"  {subscription}: bill {october['billId']} paid")
time.sleep(1)  # the payment reaches Billing's picture before November is billed
for cycle in cycles:
    billing_run(cycle, "2026-11", "2026-11-30", "2026-12-01")
system.close()
