"""The customer office's processes, end to end, each driven only through the cartable's HTTP
API as the employees who do its steps (maryam the clerk, reza the field technician, neda in the
meter lab, omid the billing officer, ali the supervisor), and each checked in the record
Registration keeps (asked over the broker with pika). Around them, the systems that are not
people: the stores receive meters, the payment system reports the connection fee paid.

    python customer_processes_test.py CARTABLE_URL AMQP_URL ORCHESTRATOR_DATABASE_URL

The last is used once, to move one timer to now: the overdue alert of a step, as if three days
had passed."""
import os
import subprocess
import sys
import uuid

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "deploy"))
sys.path.insert(0, os.path.join(here, ".."))
sys.path.insert(0, here)
from outside_system import OutsideSystem  # noqa: E402
import checking  # noqa: E402
from checking import check  # noqa: E402
from cartable_api import Cartable, eventually  # noqa: E402

BASE, AMQP, ORCHESTRATOR_DB = sys.argv[1], sys.argv[2], sys.argv[3]
office = Cartable(BASE)
registry = OutsideSystem(AMQP, actor="system:stores")
registry.listen("registration.customer-registered.v1", "registration.meter-received.v1", "registration.command-refused.v1")
run = uuid.uuid4().hex[:6].upper()


def register(first, last):
    sent = registry.send("registration.register-customer.v1", {"customer": {
        "kind": "person", "nationalId": str(uuid.uuid4().int)[:10], "firstName": first, "lastName": last, "phones": ["+98 26 3444 0000"],
        "address": {"line1": "5 Golshan Alley", "city": "Karaj", "country": "IR"}, "preferredLanguage": "fa"}})
    kind, answer = registry.answer(sent)
    assert kind == "registration.customer-registered.v1", answer
    return answer["customerNumber"]


def receive(serial, utility="electricity"):
    sent = registry.send("registration.receive-meter.v1", {"meter": {
        "manufacturer": "Afzar Azma", "serialNumber": serial, "utility": utility, "model": "AZ-1", "registers": ["total"], "dials": 6,
        "multiplier": 1, "accuracyClass": 1, "nominalRating": "10(60) A" if utility == "electricity" else "G4", "yearOfManufacture": 2026,
        "seals": ["S-" + serial], "nextTestDue": "2034-06-30"}})
    kind, answer = registry.answer(sent)
    assert kind == "registration.meter-received.v1", answer
    return serial


def customer(number):
    return registry.ask("registration.get-customer.v1", {"customerNumber": number})


def meter(serial):
    return registry.ask("registration.get-meter.v1", {"manufacturer": "Afzar Azma", "serialNumber": serial})


def variables(instance):
    return office.instance("maryam", instance)["variables"]


owner, buyer = register("Kaveh", "Tehrani"), register("Mina", "Farahani")
m1, m2, m3 = (receive(f"{run}-{n}") for n in ("E1", "E2", "E3"))
gas_meter = receive(f"{run}-G1", "gas")

# 1. A new connection. The first request puts the connection at 0, 0: Registration refuses it
#    and the request comes back to the clerk with the reason.
request = {
    "customerNumber": owner, "utility": "electricity", "useType": "residential", "addressLine": "5 Golshan Alley", "city": "Karaj",
    "region": "KRJ-2", "latitude": 0, "longitude": 0, "requestedCapacity": 25, "capacityUnit": "A"}
status, started = office.start("reza", "new-connection", request)
check(status == 404 or status == 403, f"a field technician may not start a connection request ({status})")
status, started = office.start("maryam", "new-connection", dict(request, capacityUnit="litres"))
check(status == 422 and started["field"] == "capacityUnit", "a capacity unit that is not offered is refused before anything starts")
status, started = office.start("maryam", "new-connection", request)
check(status == 202, "maryam starts the connection request")
connection = started["instanceId"]
correction = office.task("maryam", connection, "correctRequest")
status, shown = office.call("GET", f"/api/tasks/{correction['id']}", user="maryam")
check("premises.location: 0, 0 is not a place" in shown["variables"]["refusal"], f"the clerk is told what to correct: {shown['variables']['refusal']}")
status, _ = office.work("maryam", connection, "correctRequest", {
    "customerNumber": owner, "addressLine": "5 Golshan Alley", "city": "Karaj", "latitude": 35.8401, "longitude": 50.9391,
    "requestedCapacity": 25, "capacityUnit": "A"})
check(status == 200, "the corrected request is sent again")
status, _ = office.work("maryam", connection, "checkDocuments", {"documentsComplete": True, "documentRemarks": "Deed and id checked"})
check(status == 200, "the documents are checked")
status, _ = office.work("reza", connection, "siteSurvey", {"surveyDate": "2026-12-01", "distanceToNetwork": 35, "feasible": "yes"})
check(status == 200, "reza surveys the site")
status, _ = office.work("omid", connection, "estimateCost", {"connectionFee": 45000000, "tariffCode": "E-RES-1", "billingCycle": "M01", "deposit": 2000000})
check(status == 200, "omid estimates the cost")
point = eventually("the subscription is opened", lambda: variables(connection).get("subscriptionNumber") and variables(connection))
service_point, subscription = point["servicePointNumber"], point["subscriptionNumber"]
check(customer(owner)["subscriptions"][0]["status"] == "pending", f"{subscription} is pending until the meter is on")
payments = OutsideSystem(AMQP, actor="system:payments")
payments.send("orchestrator.correlate-message.v1", {"name": "connection-fee-paid", "correlationKey": service_point, "variables": {"feeReceipt": "PAY-" + run}})
status, _ = office.work("reza", connection, "installMeter", {"manufacturer": "Afzar Azma", "serialNumber": m1, "initialReading": 0})
check(status == 200, "once the fee is paid, reza installs the meter")
office.ended("maryam", connection)
record = customer(owner)
subscribed = record["subscriptions"][0]
check(subscribed["subscriptionNumber"] == subscription and subscribed["status"] == "active", f"{subscription} is active")
check(subscribed["servicePoint"]["meter"]["serialNumber"] == m1 and subscribed["servicePoint"]["premises"]["region"] == "KRJ-2",
      "with the meter reza installed, at the premises in KRJ-2")
check(subscribed["servicePoint"]["location"] == {"latitude": 35.8401, "longitude": 50.9391}, "where the clerk corrected it to")
check([c["change"] for c in record["installations"]] == ["connection-requested", "subscription-created", "meter-installed", "subscription-activated"],
      "and the history of each step")

# 2. A gas connection adds the safety inspection: an unsafe installation is inspected again.
status, started = office.start("maryam", "new-connection", dict(
    request, customerNumber=buyer, utility="gas", latitude=35.8411, longitude=50.9402, requestedCapacity=6, capacityUnit="m3/h"))
gas = started["instanceId"]
office.work("maryam", gas, "checkDocuments", {"documentsComplete": True})
office.work("reza", gas, "siteSurvey", {"surveyDate": "2026-12-01", "distanceToNetwork": 12, "feasible": "yes"})
office.work("omid", gas, "estimateCost", {"connectionFee": 30000000, "tariffCode": "G-RES-1", "billingCycle": "B01", "deposit": 1000000})
gas_point = eventually("the gas subscription is opened", lambda: variables(gas).get("subscriptionNumber") and variables(gas))["servicePointNumber"]
payments.send("orchestrator.correlate-message.v1", {"name": "connection-fee-paid", "correlationKey": gas_point})
office.work("reza", gas, "installMeter", {"manufacturer": "Afzar Azma", "serialNumber": gas_meter, "initialReading": 0})
status, _ = office.work("reza", gas, "safetyInspection", {"installationSafe": "no", "safetyNotes": "No ventilation in the kitchen"})
check(status == 200 and customer(buyer)["subscriptions"][0]["status"] == "pending", "gas: not activated while the installation is unsafe")
office.work("reza", gas, "safetyInspection", {"installationSafe": "yes"})
office.ended("maryam", gas)
check(customer(buyer)["subscriptions"][0]["status"] == "active", "gas: activated once it is safe")

# 3. Meter replacement. The technician first enters a meter that is not in stock (the one on the
#    wall): refused, and the task comes back to him. Left three days, the step alerts ali.
status, started = office.start("maryam", "meter-replacement", {"customerNumber": owner, "servicePointNumber": service_point, "utility": "electricity",
                                                              "reason": "Damaged"})
replacement = started["instanceId"]
exchange = office.task("reza", replacement, "exchange")
subprocess.run(["psql", ORCHESTRATOR_DB, "-qtAc", f"UPDATE timers SET due_at = now() WHERE instance_id = '{replacement}' AND element_id = 'exchangeOverdue'"],
               check=True)
alert = office.task("ali", replacement, "chase")
check(alert["name"] == "Chase an overdue meter replacement", "three days on, the supervisor is alerted to the overdue exchange")
status, _ = office.work("reza", replacement, "exchange", {"finalReading": 1520, "manufacturer": "Afzar Azma", "serialNumber": m1, "initialReading": 0})
again = office.task("reza", replacement, "exchange")
status, shown = office.call("GET", f"/api/tasks/{again['id']}", user="reza")
check(f"serialNumber: Afzar Azma {m1} is installed on {service_point}, not in stock" in shown["variables"]["refusal"],
      f"a meter that is not in stock is refused, back to the technician: {shown['variables']['refusal']}")
office.work("reza", replacement, "exchange", {"finalReading": 1520, "manufacturer": "Afzar Azma", "serialNumber": m2, "initialReading": 0})
office.ended("maryam", replacement)
check(customer(owner)["subscriptions"][0]["servicePoint"]["meter"]["serialNumber"] == m2, f"{m2} is on {service_point}")
old = meter(m1)
check(old["status"] == "removed" and [h for h in old["history"] if h["change"] == "meter-removed"][0]["details"]["readings"] ==
      [{"register": "total", "index": 1520}], f"{m1} is removed, with its final reading")
status, tasks = office.call("GET", "/api/tasks?view=all&step=chase&limit=200", user="ali")
check(all(t["instanceId"] != replacement for t in tasks["tasks"]), "the alert closes with the finished process")

# 4. Meter relocation.
status, started = office.start("maryam", "meter-relocation", {"customerNumber": owner, "servicePointNumber": service_point, "utility": "electricity",
                                                             "reason": "Renovation", "requestedPlace": "Street wall, by the gate"})
relocation = started["instanceId"]
office.work("reza", relocation, "survey", {"feasible": "yes", "relocationFee": 5000000})
office.work("reza", relocation, "move", {"reading": 12, "latitude": 35.84032, "longitude": 50.93921})
office.ended("maryam", relocation)
moved = customer(owner)
check(moved["subscriptions"][0]["servicePoint"]["location"] == {"latitude": 35.84032, "longitude": 50.93921}, "the meter is where reza moved it")
relocated = [c for c in moved["installations"] if c["change"] == "meter-relocated"][0]["details"]
check(relocated["from"] == {"latitude": 35.8401, "longitude": 50.9391}, "and the old place stays in the history")

# 5. Meter inspection: the lab finds the meter 2.8 % fast at nominal load (class 1): it fails,
#    is replaced, and the billing officer corrects the bills.
status, started = office.start("maryam", "meter-inspection", {"customerNumber": owner, "servicePointNumber": service_point, "manufacturer": "Afzar Azma",
                                                             "serialNumber": m2, "complaint": "The bills doubled since the exchange"})
inspection = started["instanceId"]
office.work("neda", inspection, "labTest", {"errorAtLowLoad": 0.9, "errorAtNominalLoad": 2.8, "errorAtMaximumLoad": 1.1, "testBench": "B-2"})
office.work("reza", inspection, "replace", {"finalReading": 40, "newManufacturer": "Afzar Azma", "newSerialNumber": m3, "initialReading": 0})
bills = office.task("omid", inspection, "correctBills")
status, shown = office.call("GET", f"/api/tasks/{bills['id']}", user="omid")
check(shown["variables"]["worstErrorPercent"] == 2.8 and shown["variables"]["inspectionPassed"] is False, "the billing officer sees the failed result")
office.work("omid", inspection, "correctBills", {"correctionNotes": "Two bills re-issued at the corrected consumption"})
office.ended("maryam", inspection)
failed = meter(m2)
check(failed["replacementDue"] and failed["status"] == "removed", f"{m2} failed its test and is off the wall")
check([h["change"] for h in failed["history"]][-2:] == ["inspection-recorded", "meter-removed"], "its test and its removal are in its history")
check(customer(owner)["subscriptions"][0]["servicePoint"]["meter"]["serialNumber"] == m3, f"{m3} replaced it")

# 6. Change of ownership: the owner sold to the buyer.
status, started = office.start("maryam", "change-of-ownership", {"customerNumber": owner, "subscriptionNumber": subscription, "newCustomerNumber": buyer,
                                                                "deedNumber": "D-" + run})
transfer = started["instanceId"]
office.work("maryam", transfer, "checkDeed", {"deedValid": True})
office.work("reza", transfer, "readMeter", {"reading": 55})
office.ended("maryam", transfer)
sold = customer(owner)["subscriptions"][0]
check(sold["status"] == "terminated" and sold["endDate"], f"the seller's {subscription} is terminated")
bought = [s for s in customer(buyer)["subscriptions"] if s["servicePoint"]["servicePointNumber"] == service_point][0]
check(bought["status"] == "active" and bought["tariffCode"] == "E-RES-1" and bought["servicePoint"]["meter"]["serialNumber"] == m3,
      f"the buyer's {bought['subscriptionNumber']} is active on the same terms and meter")

# 7. A billing request: the buyer disputes a bill; accepted, corrected, answered.
status, started = office.start("maryam", "billing-request", {"customerNumber": buyer, "subscriptionNumber": bought["subscriptionNumber"],
                                                            "requestType": "bill-complaint", "description": "Billed for the seller's month"})
billing = started["instanceId"]
# A start is accepted (202) before the orchestrator has the instance: wait for it to be there.
listed = eventually("the request reaches the orchestrator", lambda: any(
    p["instanceId"] == billing and p["status"] == "active" for p in (office.call("GET", f"/api/customers/{buyer}", user="maryam")[1]["processes"] or [])))
check(listed, "the open request is in the buyer's picture")
office.work("omid", billing, "review", {"decision": "accepted", "correctionAmount": 150000, "response": "The first month was the seller's."})
office.work("omid", billing, "correct", {"creditNoteNumber": "CN-" + run})
office.work("maryam", billing, "inform", {"customerInformed": True})
answered = office.ended("maryam", billing)
check(answered["variables"]["creditNoteNumber"] == "CN-" + run, "the request ends with the credit note")
status, picture = office.call("GET", f"/api/customers/{buyer}", user="maryam")
processes = {p["processId"]: p["status"] for p in picture["processes"]}
check(processes.get("billing-request") == "completed" and processes.get("new-connection") == "completed",
      f"the buyer's picture lists the processes run for them: {processes}")
payments.close()
registry.close()
print(f"{checking.passed} checks passed")
