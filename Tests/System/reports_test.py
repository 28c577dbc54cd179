"""Reports with everything up: a customer and two subscriptions registered over the broker in
a region of their own, seen by Reports from Registration's events, and read through the
cartable as its employees read them: parisa (a manager) runs, saves, shares and downloads
reports through the API and the pages; maryam (a clerk) reads the records' reports but not
money's; reza (a field technician) reads meters' reports but not subscriptions'. Wrong fields are refused,
naming the field.

    python reports_test.py CARTABLE_URL AMQP_URL"""
import csv
import html
import http.cookiejar
import io
import json
import os
import re
import sys
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
system = OutsideSystem(AMQP, actor="system:crm")
system.listen("registration.customer-registered.v1", "registration.connection-requested.v1", "registration.subscription-created.v1",
              "registration.command-refused.v1")
run = uuid.uuid4().hex[:6].upper()
region = f"REP-{run}"


def command(message_type, body):
    kind, answer = system.answer(system.send(message_type, body))
    assert not kind.endswith("command-refused.v1"), answer
    return answer


customer = command("registration.register-customer.v1", {"customer": {
    "kind": "person", "nationalId": str(uuid.uuid4().int)[:10], "firstName": "Roya", "lastName": f"Report{run}", "phones": ["+98 21 8800 0001"],
    "address": {"line1": "3 Vali Asr", "city": "Tehran", "country": "IR"}, "preferredLanguage": "fa"}})["customerNumber"]
for utility, use_type, capacity in [("electricity", "residential", {"value": 25, "unit": "A"}), ("water", "commercial", {"value": 20, "unit": "mm"})]:
    point = command("registration.request-connection.v1", {
        "customerNumber": customer, "utility": utility, "capacity": capacity,
        "premises": {"address": {"line1": "3 Vali Asr", "city": "Tehran", "country": "IR"}, "region": region,
                     "location": {"latitude": 35.7, "longitude": 51.4}}})["servicePointNumber"]
    command("registration.create-subscription.v1", {
        "customerNumber": customer, "servicePointNumber": point, "useType": use_type, "tariffCode": f"T-{utility.upper()}", "billingCycle": "C1",
        "startDate": "2026-11-01", "deposit": {"amount": 0, "currency": "IRR"}})

# The builder's report, as the API takes it: subscriptions of the region by use type.
report = {"subject": "subscriptions", "dimensions": ["region", "useType"], "measures": [{"aggregate": "count"}, {"aggregate": "distinct", "field": "customer"}],
          "filters": [{"field": "region", "op": "=", "values": [region]}], "sort": [{"column": "useType", "descending": False}]}


def reported():
    code, table = office.call("POST", "/api/reports/run", user="parisa", body=report)
    return table if code == 200 and len(table["rows"]) == 2 else None


table = eventually("Reports sees both subscriptions", reported, seconds=30)
check([c["name"] for c in table["columns"]] == ["region", "useType", "count", "distinct:customer"], f"the columns are the report's ({table['columns']})")
check(table["rows"] == [[region, "commercial", "1", "1"], [region, "residential", "1", "1"]], f"one subscription of each use type ({table['rows']})")

code, catalog = office.call("GET", "/api/reports", user="parisa")
check(code == 200 and {"bills", "tasks", "subscriptions", "meters"} <= {s["name"] for s in catalog["subjects"]}, "a manager reads every subject")
check(len(catalog["shipped"]) == 9, f"and the nine shipped reports ({[s['key'] for s in catalog['shipped']]})")
code, catalog = office.call("GET", "/api/reports", user="maryam")
check(code == 200 and "subscriptions" in {s["name"] for s in catalog["subjects"]} and "bills" not in {s["name"] for s in catalog["subjects"]},
      "a clerk reads the records' subjects, not money's")
code, _ = office.call("POST", "/api/reports/run", user="maryam", body=report)
check(code == 200, "a clerk runs the subscriptions report")
code, _ = office.call("POST", "/api/reports/run", user="maryam", body={**report, "subject": "bills", "dimensions": ["region"], "filters": [], "sort": []})
check(code == 404, "a clerk may not run a report of bills")
code, _ = office.call("POST", "/api/reports/run", user="reza", body=report)
check(code == 404, "a field technician may not run a report of subscriptions")
code, _ = office.call("GET", "/api/reports/shipped/debt-ageing", user="maryam")
check(code == 404, "nor may a clerk run the debt ageing")
code, ageing = office.call("GET", "/api/reports/shipped/debt-ageing", user="parisa")
check(code == 200 and [c["name"] for c in ageing["columns"]][:2] == ["region", "ageBand"], "a manager runs the debt ageing")

# Wrong input is refused, naming the field; nothing reaches Reports.
for wrong, field in [({**report, "dimensions": ["region", "password"]}, "dimensions[1]"),
                     ({**report, "filters": [{"field": "started", "op": ">", "values": ["2026-13-01"]}]}, "filters[0].values[0]"),
                     ({**report, "measures": [{"aggregate": "sum", "field": "region"}]}, "measures[0]"),
                     ({**report, "sort": [{"column": "tariff", "descending": True}]}, "sort[0].column"),
                     ({**report, "subject": "passwords"}, "subject")]:
    code, problem = office.call("POST", "/api/reports/run", user="parisa", body=wrong)
    check(code == 422 and problem["field"] == field, f"{field} is refused: {code} {problem}")
code, problem = office.call("POST", "/api/reports/run", user="parisa", body={"subject": "subscriptions", "dimensions": "region"})
check(code == 422 and problem["field"] == "dimensions", f"a body that is not a report is refused ({problem})")


def raw(path, user, method="GET", body=None):
    sent = urllib.request.Request(BASE + path, method=method, data=body)
    sent.add_header("Authorization", f"Bearer {office.token(user)}")
    sent.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(sent, timeout=20) as response:
        return response.headers.get("Content-Type"), response.read().decode()


kind, text = raw("/api/reports/run?format=csv", "parisa", "POST", json.dumps(report).encode())
rows = list(csv.reader(io.StringIO(text)))
check(kind.startswith("text/csv") and rows == [["Region", "Use type", "Subscriptions", "Different customer"], [region, "commercial", "1", "1"],
                                                [region, "residential", "1", "1"]], f"the CSV has the titles and the rows ({rows})")

# Saved and shared with the managers; a clerk does not see it, and only its owner deletes it.
code, saved = office.call("POST", "/api/reports", user="parisa", body={"title": f"Region {region}", "report": report, "sharedWith": "manager"})
check(code == 201 and saved["owner"] == "parisa" and saved["sharedWith"] == "manager", f"parisa saves the report ({code} {saved})")
code, problem = office.call("POST", "/api/reports", user="parisa", body={"title": "x", "report": report, "sharedWith": "finance"})
check(code == 422 and problem["field"] == "sharedWith", "but may not share it with a group she is not in")
code, problem = office.call("POST", "/api/reports", user="parisa", body={"title": " ", "report": report})
check(code == 422 and problem["field"] == "title", "a report needs a title")
code, opened = office.call("GET", f"/api/reports/saved/{saved['id']}", user="parisa")
check(code == 200 and opened["table"]["rows"] == table["rows"], "the saved report runs")
code, _ = office.call("GET", f"/api/reports/saved/{saved['id']}", user="maryam")
check(code == 404, "a clerk, not a manager, does not see it")
code, _ = office.call("DELETE", f"/api/reports/saved/{saved['id']}", user="maryam")
check(code == 404, "nor delete it")
code, listed = office.call("GET", "/api/reports", user="admin")
check(saved["id"] in [s["id"] for s in listed["saved"]], "an administrator sees every saved report")

# The pages, as a browser posts them.
jar = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
jar.open(urllib.request.Request(BASE + "/sign-in", data=urllib.parse.urlencode({"username": "parisa", "password": "demo"}).encode()), timeout=20).read()
dashboard = jar.open(BASE + "/reports", timeout=30).read().decode()
check("Debt ageing by region" in dashboard and "Open tasks per step" in dashboard and "<svg" in dashboard, "the dashboard shows the shipped reports with charts")
check(f"Region {region}" in dashboard, "and the saved report")
query = urllib.parse.urlencode([("subject", "subscriptions"), ("d", "useType"), ("m", "count"), ("ff", "region"), ("fo", "="), ("fv", region)])
built = jar.open(BASE + "/reports/build?" + query, timeout=30).read().decode()
cells = re.findall(r"<td[^>]*>([^<]*)</td>", built)
check(cells == ["commercial", "1", "residential", "1"] and "<svg" in built, f"the builder shows the table and the chart ({cells})")
csrf = re.search(r'name="_csrf" value="([^"]+)"', built).group(1)
hidden = html.unescape(re.search(r'name="report" value="([^"]*)"', built).group(1))
answer = jar.open(urllib.request.Request(BASE + "/reports/save", data=urllib.parse.urlencode(
    {"_csrf": csrf, "report": hidden, "title": f"Use types {region}", "sharedWith": ""}).encode()), timeout=30)
page = answer.read().decode()
check("/reports/saved/" in answer.geturl() and f"Use types {region}" in page and "The report is saved." in page, "the builder saves it")
wrong = jar.open(BASE + "/reports/build?" + urllib.parse.urlencode([("subject", "subscriptions"), ("d", "colour")]), timeout=30).read().decode()
check("Group by 1: &#39;colour&#39; is not a field" in wrong or "Group by 1: 'colour' is not a field" in wrong, "the builder says which row is wrong")
kind = jar.open(BASE + "/reports/shipped/meter-inventory?format=csv", timeout=30).headers.get("Content-Type")
check(kind.startswith("text/csv"), "a shipped report downloads as CSV")

# A field technician reads the meters' reports, not the subscriptions': a forged save of one stores nothing.
tech = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
tech.open(urllib.request.Request(BASE + "/sign-in", data=urllib.parse.urlencode({"username": "reza", "password": "demo"}).encode()), timeout=20).read()
inbox = tech.open(BASE + "/inbox", timeout=20).read().decode()
check('href="/reports"' in inbox, "a field technician's header has Reports (the meters')")
tech_csrf = re.search(r'name="_csrf" value="([^"]+)"', inbox).group(1)
refused = tech.open(urllib.request.Request(BASE + "/reports/save", data=urllib.parse.urlencode(
    {"_csrf": tech_csrf, "report": hidden, "title": f"Not mine {run}"}).encode()), timeout=30).read().decode()
check("cannot be saved" in refused, "his forged save of a subscriptions report is refused")
code, listed = office.call("GET", "/api/reports", user="admin")
check(f"Not mine {run}" not in [s["title"] for s in listed["saved"]], "and nothing is stored")

code, _ = office.call("DELETE", f"/api/reports/saved/{saved['id']}", user="parisa")
check(code == 204, "parisa deletes her report")
code, _ = office.call("GET", f"/api/reports/saved/{saved['id']}", user="parisa")
check(code == 404, "and it is gone")
system.close()
print(f"{checking.passed} checks passed")
