"""The demo's records, sent as outside systems would: over the broker, with pika. Customers
(the CRM), meters into stock (the stores), two connected installations (the connection,
subscription, meter and activation commands a migration from an older system would send), and
the tariffs they are billed by (each tariff created with its first version, later versions
published after it), and the installations' first bills and payments in the ledger (its
accounts open from Registration's and Tariff's events).
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
              "ledger.balance-changed.v1", "ledger.command-refused.v1")


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
        "billingCycle": installation["billingCycle"], "startDate": "2026-11-01", "deposit": installation["deposit"]})["subscriptionNumber"]
    command("install-meter", {"servicePointNumber": point, **installation["meter"], "readings": [{"register": "total", "index": installation["reading"]}]})
    command("activate-subscription", {"subscriptionNumber": subscription, "reason": "Migrated from the former customer system"})
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
    revenue = f"revenue:{installation['utility']}:{installation['tariffCode']}"
    bills = [(f"DEMO-{subscription}-2026-10", "2026-10-01", "2026-10-15", 1_180_000), (f"DEMO-{subscription}-2026-11", "2026-11-01", "2026-11-15", 1_420_000)]
    ledger_command("post-bill-charges", {"charges": [
        {"billId": bill, "subscriptionNumber": subscription, "currency": "IRR", "issueDate": issued, "dueDate": due,
         "lines": [{"account": revenue, "amount": energy}, {"account": "tax:vat:IRR", "amount": energy // 10}]}
        for bill, issued, due, energy in bills]})
    ledger_command("record-payments", {"payments": [{
        "paymentId": f"DEMO-PAY-{subscription}-1", "subscriptionNumber": subscription, "channel": "bank",
        "amount": {"amount": 1_298_000, "currency": "IRR"}, "valueDate": "2026-10-12", "reference": "Shaparak 4411"}]})
    print(f"  {subscription}: October's bill paid, November's open (statement in the cartable)")
system.close()
