"""The cartable's HTTP API as an employee's client uses it: sign in, start a process, find a
task in the inbox, claim and complete it, read an instance. Shared by the process tests."""
import json
import time
import urllib.error
import urllib.parse
import urllib.request


class Cartable:
    def __init__(self, base):
        self.base = base
        self.tokens = {}
        # Tasks completed here: a step taken again (a loop) is a new task of the same step.
        self.completed = set()

    def call(self, method, path, user=None, body=None):
        return request(self.base, method, path, token=self.token(user) if user else None, body=body)

    def token(self, user):
        if user not in self.tokens:
            status, signed_in = self.call("POST", "/api/session", body={"username": user, "password": "demo"})
            assert status == 201 or status == 200, f"{user} cannot sign in: {status} {signed_in}"
            self.tokens[user] = signed_in["token"]
        return self.tokens[user]

    def start(self, user, process, variables, business_key=None):
        """Starts a process from its start form: (status, body)."""
        body = {"variables": variables}
        if business_key:
            body["businessKey"] = business_key
        return self.call("POST", f"/api/processes/{process}/start", user=user, body=body)

    def task(self, user, instance, step, seconds=20):
        """The open task of `instance` at `step` that `user` sees, waiting for it to arrive."""
        query = urllib.parse.urlencode({"view": "all", "step": step, "limit": 200})

        def probe():
            status, page = self.call("GET", f"/api/tasks?{query}", user=user)
            tasks = page.get("tasks", []) if status == 200 else []
            return next((t for t in tasks if t["instanceId"] == instance and t["id"] not in self.completed), None)
        return eventually(f"{user} sees step {step} of {instance}", probe, seconds)

    def work(self, user, instance, step, variables):
        """Claims the task and completes it with `variables`; returns the completion's answer."""
        task = self.task(user, instance, step)
        status, claimed = self.call("POST", f"/api/tasks/{task['id']}/claim", user=user)
        assert status == 200, f"{user} cannot claim {step}: {status} {claimed}"
        answer = self.call("POST", f"/api/tasks/{task['id']}/complete", user=user, body={"variables": variables})
        if answer[0] == 200:
            self.completed.add(task["id"])
        return answer

    def instance(self, user, instance):
        status, details = self.call("GET", f"/api/instances/{instance}", user=user)
        return details if status == 200 else None

    def ended(self, user, instance, seconds=20):
        """The instance once it has completed."""
        return eventually(f"instance {instance} completes",
                          lambda: (lambda d: d if d and d["summary"]["status"] == "completed" else None)(self.instance(user, instance)), seconds)


def request(base, method, path, token=None, body=None):
    """One JSON request: (status, the decoded body)."""
    sent = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    sent.add_header("Content-Type", "application/json")
    if token:
        sent.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def eventually(what, probe, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {what}")
