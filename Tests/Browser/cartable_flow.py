"""The cartable in a real browser, as employees use it.

A registration clerk (maryam) finds a customer, starts a new-connection request for them from its
start form (first with mistakes, which the page must name), finds the documents check in her
inbox, claims it and
completes it from its form. A field technician (reza) has his inbox open all the while: the
referred site survey must appear in it without a reload. Screenshots of the inboxes and the
task page are saved.

    python cartable_flow.py BASE_URL SCREENSHOT_FOLDER
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checking  # noqa: E402
from checking import check  # noqa: E402

BASE, SHOTS = sys.argv[1], sys.argv[2]
os.makedirs(SHOTS, exist_ok=True)


def browser(width=1280, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    return driver


def wait(driver, condition, seconds=15):
    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)


def sign_in(driver, username):
    driver.get(BASE + "/inbox")
    wait(driver, seen.presence_of_element_located((By.NAME, "username")))
    check(driver.current_url.startswith(BASE + "/sign-in"), f"{username}: an inbox without a session asks to sign in first")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys("demo")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(driver, seen.presence_of_element_located((By.ID, "inbox-list")))
    check(driver.current_url.startswith(BASE + "/inbox"), f"{username}: signing in opens the inbox")


def task_in_list(driver, name):
    for item in driver.find_elements(By.CSS_SELECTOR, "#inbox-list li.task"):
        # The request's tasks link to ids that begin with its instance's.
        link = item.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
        if name in item.text and f"/tasks/{instance_id}" in link:
            return item
    return None


def screenshot(driver, name):
    """The whole page, not just what the window shows."""
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(height, full + 100))
    driver.save_screenshot(os.path.join(SHOTS, name))
    driver.set_window_size(width, height)


def fill(driver, name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


clerk = browser()
technician = browser(390, 844)  # a phone
try:
    # The field technician's inbox is open before anything is referred to him.
    sign_in(technician, "reza")
    technician.execute_script("window.notReloaded = true")

    # Wrong credentials are refused in words.
    clerk.get(BASE + "/sign-in")
    clerk.find_element(By.NAME, "username").send_keys("maryam")
    clerk.find_element(By.NAME, "password").send_keys("not her password")
    clerk.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # The click only sends the form: wait for the answer's page before reading it.
    refusal = wait(clerk, lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))[0]
    check("The username or the password is wrong." in refusal.text, "a wrong password is refused in words")

    sign_in(clerk, "maryam")
    # The clerk looks the applicant up (the contract test registered the document's example).
    clerk.find_element(By.LINK_TEXT, "Customers").click()
    fill(clerk, "q", "Rezaei")
    clerk.find_element(By.CSS_SELECTOR, "form.filters button").click()
    found = wait(clerk, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.tasks li.task a"))
    found[0].click()
    wait(clerk, seen.presence_of_element_located((By.CSS_SELECTOR, "table.history")))
    check("Rezaei" in clerk.find_element(By.TAG_NAME, "h1").text, "maryam finds a customer and opens the record")
    customer_number = clerk.find_element(By.XPATH, "//dt[text()='Customer number']/following-sibling::dd").text
    screenshot(clerk, "customer-page.png")

    # The request is started for that customer (its business key is their number).
    clerk.find_element(By.LINK_TEXT, "Start a process").click()
    clerk.find_element(By.XPATH, "//section[h2='New connection request']//a[text()='Start']").click()
    wait(clerk, seen.presence_of_element_located((By.ID, "start")))
    fill(clerk, "customerNumber", "C-123")  # not a customer number
    Select(clerk.find_element(By.NAME, "utility")).select_by_visible_text("Electricity")
    fill(clerk, "city", "Tehran")
    clerk.find_element(By.ID, "start").click()
    # The form comes back with its problems: wait for that page, not the one the click left.
    wait(clerk, lambda d: d.find_elements(By.CSS_SELECTOR, ".problem"))
    problems = {p.get_attribute("id"): p.text for p in clerk.find_elements(By.CSS_SELECTOR, ".problem")}
    check("problem-customerNumber" in problems and "expected form" in problems["problem-customerNumber"], "the start form names the wrong customer number")
    check("problem-addressLine" in problems and "is required" in problems["problem-addressLine"], "the start form names the missing address")
    check(clerk.find_element(By.NAME, "city").get_attribute("value") == "Tehran", "what was entered is kept")
    fill(clerk, "customerNumber", customer_number)
    fill(clerk, "addressLine", "12 Valiasr Street")
    Select(clerk.find_element(By.NAME, "region")).select_by_value("TEH-1")
    fill(clerk, "latitude", "35.7219")
    fill(clerk, "longitude", "51.4094")
    clerk.find_element(By.CSS_SELECTOR, "input[name=useType][value=residential]").click()
    fill(clerk, "requestedCapacity", "32")
    Select(clerk.find_element(By.NAME, "capacityUnit")).select_by_value("A")
    clerk.find_element(By.ID, "start").click()
    wait(clerk, seen.url_contains("/instances/"))
    check("The process was started." in clerk.page_source, "the request is started")
    instance_id = clerk.current_url.split("/instances/")[1].split("?")[0]

    # The documents check reaches the clerks' inbox (live, or at the latest on a reload).
    clerk.get(BASE + "/inbox")
    item = wait(clerk, lambda d: task_in_list(d, "Check the application documents") or (d.refresh() and False))
    check(item is not None, "maryam: the documents check is in her inbox")
    screenshot(clerk, "inbox-clerk.png")
    item.find_element(By.CSS_SELECTOR, "a").click()
    wait(clerk, seen.presence_of_element_located((By.ID, "claim"))).click()
    wait(clerk, seen.presence_of_element_located((By.ID, "complete")))
    check("The task is yours now." in clerk.page_source, "maryam claims the task")
    check(len(clerk.find_elements(By.CSS_SELECTOR, "svg.bpmn .current")) == 1, "the diagram marks the current step")
    clerk.find_element(By.NAME, "documentsComplete").click()
    fill(clerk, "documentRemarks", "Deed and id card checked; site plan attached.")
    screenshot(clerk, "task-page.png")
    clerk.find_element(By.ID, "complete").click()
    wait(clerk, seen.url_contains("/inbox"))
    check("Done: the task went to the next step" in clerk.page_source, "completing the task refers it onwards")

    # Without a reload, the survey appears in the technician's open inbox.
    start = time.monotonic()
    survey = wait(technician, lambda d: task_in_list(d, "Survey the site"), seconds=20)
    check(survey is not None, f"reza: the referred survey appears in his open inbox ({time.monotonic() - start:.1f} s)")
    check(technician.execute_script("return window.notReloaded === true"), "reza: ... without the page being reloaded")
    screenshot(technician, "inbox-technician-phone.png")
    survey.find_element(By.CSS_SELECTOR, "a").click()
    wait(technician, seen.presence_of_element_located((By.ID, "claim")))
    check(customer_number in technician.find_element(By.TAG_NAME, "main").text, "the task page shows the customer it concerns")
    screenshot(technician, "task-page-phone.png")

    # The clerk may not open the technician's task: the same answer as for none at all.
    clerk.get(technician.current_url)
    check("No such task" in clerk.page_source, "maryam cannot open the technician's task")
    # The customer's record now shows the request among their processes, and the connection.
    clerk.get(BASE + "/customers/" + customer_number)
    processes = clerk.find_element(By.XPATH, "//section[h2='Processes']").text
    check("new-connection" in processes and "active" in processes, "the customer's record lists the open request")
    check("TEH-1" in clerk.find_element(By.XPATH, "//section[h2='Subscriptions']").text, "and the requested connection")
    screenshot(clerk, "customer-picture.png")
    print(f"{checking.passed} checks passed; screenshots in {SHOTS}")
finally:
    clerk.quit()
    technician.quit()
