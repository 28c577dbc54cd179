"""New customer registration, end to end, driven only through the cartable's HTTP API as a
registration clerk, with the final record read from Registration (request/reply with pika):
an application registered at once; one Registration refuses (the national id is another
customer's) comes back to the clerk with what to correct, and is registered once corrected.

    python customer_registration_test.py CARTABLE_URL AMQP_URL"""
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy"))
from outside_system import OutsideSystem  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checking  # noqa: E402
from checking import check  # noqa: E402
from cartable_api import eventually, request  # noqa: E402

BASE, AMQP = sys.argv[1], sys.argv[2]


def call(method, path, token=None, body=None):
    return request(BASE, method, path, token=token, body=body)


def national_id():
    return str(uuid.uuid4().int)[:10]


status, signed_in = call("POST", "/api/session", body={"username": "maryam", "password": "demo"})
clerk = signed_in["token"]
status, offered = call("GET", "/api/processes", token=clerk)
check("customer-registration" in [p["processId"] for p in offered["processes"]], "a clerk may start a customer registration")
status, technician = call("POST", "/api/session", body={"username": "reza", "password": "demo"})
status, offered = call("GET", "/api/processes", token=technician["token"])
check("customer-registration" not in [p["processId"] for p in offered["processes"]], "a field technician may not")

application = {
    "kind": "person", "nationalId": national_id(), "firstName": "Leila", "lastName": "Sadeghi", "phone": "+98 21 4444 1212",
    "email": "leila.sadeghi@example.ir", "addressLine": "21 Azadi Street", "city": "Tabriz", "postcode": "5166616471", "preferredLanguage": "fa",
}
registry = OutsideSystem(AMQP, actor="system:test")


def start(variables, reference):
    status, started = call("POST", "/api/processes/customer-registration/start", token=clerk, body={"businessKey": reference, "variables": variables})
    check(status == 202, f"the application {reference} is started")
    return started["instanceId"]


def finished(instance):
    def probe():
        status, details = call("GET", f"/api/instances/{instance}", token=clerk)
        return details if status == 200 and details["summary"]["status"] == "completed" else None
    return eventually(f"instance {instance} completes", probe)


# 1. A good application: registered; the record is Registration's.
first = finished(start(application, "REG-" + uuid.uuid4().hex[:6]))
number = first["variables"]["customerNumber"]
record = registry.ask("registration.get-customer.v1", {"customerNumber": number})
check(record["customer"]["nationalId"] == application["nationalId"] and record["customer"]["address"]["city"] == "Tabriz",
      f"Registration holds {number} as the clerk entered it")
check(record["customer"]["phones"] == [application["phone"]], "the phone is the customer's")

# 2. Another applicant under the same national id: Registration refuses, and the application
#    comes back to the clerks with the reason.
mistaken = dict(application, firstName="Parisa", lastName="Nouri")
second = start(mistaken, "REG-" + uuid.uuid4().hex[:6])


def correction():
    status, page = call("GET", "/api/tasks?view=unassigned", token=clerk)
    return next((t for t in page["tasks"] if t["instanceId"] == second and t["elementId"] == "correct"), None)


task = eventually("the application comes back to the clerk", correction)
status, shown = call("GET", f"/api/tasks/{task['id']}", token=clerk)
refusal = shown["variables"].get("refusal", "")
check(f"nationalId: is already registered, as {number}" in refusal, f"the task says what to correct: {refusal}")
check(any(c["key"] == "refusal" and c.get("readonly") for c in shown["form"]["components"]), "the reason is shown, not editable")

# A correction that still does not fit the form is refused before anything is sent.
status, claimed = call("POST", f"/api/tasks/{task['id']}/claim", token=clerk)
status, refused = call("POST", f"/api/tasks/{task['id']}/complete", token=clerk, body={"variables": {"phone": ""}})
check(status == 422 and refused["field"] == "phone", "a correction without a phone is refused naming the field")
corrected = national_id()
status, done = call("POST", f"/api/tasks/{task['id']}/complete", token=clerk, body={"variables": {
    "nationalId": corrected, "firstName": "Parisa", "lastName": "Nouri", "phone": "+98 21 4444 3434", "addressLine": "21 Azadi Street",
    "city": "Tabriz"}})
check(status == 200, "the corrected application is sent")
second_number = finished(second)["variables"]["customerNumber"]
record = registry.ask("registration.get-customer.v1", {"customerNumber": second_number})
check(second_number != number and record["customer"]["nationalId"] == corrected and record["customer"]["firstName"] == "Parisa",
      f"the corrected applicant is a customer of their own, {second_number}")
found = registry.ask("registration.find-customers.v1", {"text": "Sadeghi"})
check([c["customerNumber"] for c in found["customers"]].count(number) == 1, "and the first is still found by name, once")
registry.close()

# The clerk finds both in the cartable, and reads the record with its history.
status, found = call("GET", "/api/customers?q=Tabriz", token=clerk)
numbers = [c["customerNumber"] for c in found["customers"]]
check(status == 200 and number in numbers and second_number in numbers, "the cartable finds both customers by their city")
status, later = call("GET", "/api/customers?q=Tabriz&offset=1", token=clerk)
check(status == 200 and [c["customerNumber"] for c in later["customers"]] == numbers[1:], "the next page starts where the first one's first ended")
status, wrong = call("GET", "/api/customers?q=Tabriz&offset=next", token=clerk)
check(status == 422 and wrong["field"] == "offset", "an offset that is not a number is refused naming it")
status, shown = call("GET", f"/api/customers/{second_number}", token=clerk)
check(status == 200 and [h["change"] for h in shown["history"]] == ["registered"], "and shows a record with its history")
status, missing = call("GET", "/api/customers/C-00000000-0", token=clerk)
check(status == 404, "a customer that does not exist is a 404")
status, short = call("GET", "/api/customers?q=a", token=clerk)
check(status == 422 and short["field"] == "q", "a search of one character is refused naming q")
print(f"{checking.passed} checks passed")
