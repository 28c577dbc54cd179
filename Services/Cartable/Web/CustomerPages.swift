import Billing
import Contracts
import Foundation
import Hummingbird

/// Looking a customer up, and their record with its history.
extension Pages {
    func addCustomers(to router: Router<BasicRequestContext>) {
        router.get("customers") { request, _ in
            try await page(request) { employee, csrf, _ in
                var values = base(employee, csrf: csrf, title: "Customers", nav: "customers")
                let text = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
                values["q"] = text
                guard !text.isEmpty else { return render("customers", values) }
                guard (2...100).contains(text.count) else {
                    values["error"] = "Type 2 to 100 characters to find a customer."
                    return render("customers", values, status: .unprocessableContent)
                }
                let offset = min(max(Int(request.uri.queryParameters["offset"].map(String.init) ?? "0") ?? 0, 0), 1000)
                do {
                    let found = try await CustomerRoutes.find(text, offset: offset, environment).customers
                    values["searched"] = true
                    // A full page: there may be more.
                    if found.count == CustomerRoutes.pageSize, offset + found.count <= 1000 {
                        values["next"] = "/customers?" + Pages.query(["q": text, "offset": String(offset + found.count)])
                    }
                    if offset > 0 { values["previous"] = "/customers?" + Pages.query(["q": text, "offset": String(max(0, offset - CustomerRoutes.pageSize))]) }
                    values["hasCustomers"] = !found.isEmpty
                    values["customers"] = found.map {
                        ["customerNumber": $0.customerNumber, "name": $0.name, "kind": $0.kind, "identifier": $0.identifier, "city": $0.city]
                    }
                } catch {
                    values["error"] = "Customers cannot be looked up now: Registration did not answer. Try again in a moment."
                }
                return render("customers", values)
            }
        }
        router.get("customers/:id") { request, context in
            let number = try context.parameters.require("id")
            return try await page(request) { employee, csrf, _ in
                async let processes = CustomerRoutes.processes(number, environment)
                async let bills = AccountRoutes.mayRead(employee) ? try? BillRoutes.bills(FindBills(customerNumber: number, limit: 24), environment) : nil
                let record: CustomerRecord?
                do {
                    record = try await CustomerRoutes.record(number, environment)
                } catch {
                    return problemPage(.serviceUnavailable, "Not available", "Registration did not answer. Try again in a moment.", employee: employee, csrf: csrf)
                }
                guard let record else {
                    return problemPage(.notFound, "No such customer", "There is no customer \(number).", employee: employee, csrf: csrf)
                }
                var values = base(employee, csrf: csrf, title: record.customer.displayName, nav: "customers")
                values["customerNumber"] = record.customerNumber
                values["name"] = record.customer.displayName
                values["registeredAt"] = Self.shortTime(record.registeredAt)
                values["facts"] = Self.facts(record.customer)
                values["history"] = record.history.map {
                    [
                        "at": Self.shortTime($0.at), "change": $0.change, "actor": TaskEvents.username($0.actor), "name": $0.customer.displayName,
                        "address": Self.address($0.customer.address), "phones": $0.customer.phones.joined(separator: ", "),
                    ]
                }
                values["subscriptions"] = record.subscriptions.map { subscription in
                    Self.servicePoint(subscription.servicePoint).merging([
                        "subscriptionNumber": subscription.subscriptionNumber, "status": subscription.status.rawValue,
                        "useType": subscription.useType.rawValue, "tariffCode": subscription.tariffCode, "billingCycle": subscription.billingCycle,
                        "period": subscription.startDate + (subscription.endDate.map { " – \($0)" } ?? " –"),
                    ]) { $1 }
                }
                values["hasSubscriptions"] = record.subscriptions.isEmpty ? nil : true
                values["connections"] = record.connections.map(Self.servicePoint)
                values["hasConnections"] = record.connections.isEmpty ? nil : true
                values["hasInstallations"] = record.installations.isEmpty ? nil : true
                values["installations"] = record.installations.map {
                    [
                        "at": Self.shortTime($0.at), "change": $0.change, "actor": TaskEvents.username($0.actor), "subscription": $0.subscriptionNumber ?? "",
                        "servicePoint": $0.servicePointNumber ?? "", "meter": $0.meter ?? "",
                    ]
                }
                if let processes = await processes {
                    values["hasProcesses"] = processes.isEmpty ? nil : true
                    values["processes"] = processes.map {
                        ["instanceId": $0.instanceId, "processId": $0.processId, "status": $0.status, "startedAt": Self.shortTime($0.startedAt)]
                    }
                } else {
                    values["processesUnknown"] = true
                }
                if AccountRoutes.mayRead(employee) {
                    if let bills = await bills {
                        values["showBills"] = true
                        if !bills.bills.isEmpty { values["hasBills"] = true }
                        values["bills"] = bills.bills.map { entry in
                            [
                                "billId": entry.billId, "subscriptionNumber": entry.subscriptionNumber, "period": "\(entry.from) – \(entry.to)",
                                "kind": entry.kind.rawValue, "status": entry.status.rawValue, "dueDate": entry.dueDate,
                                "amountDue": BillMaker.amount(entry.amountDue, currency: entry.currency, minorDigits: Currency.minorDigits[entry.currency] ?? 0),
                                "estimated": entry.estimated ? "estimated" : "",
                            ]
                        }
                    } else {
                        values["billsUnknown"] = true
                    }
                }
                return render("customer", values)
            }
        }
    }

    static func servicePoint(_ point: ServicePointView) -> [String: String] {
        let meter = point.meter.map { "\($0.manufacturer) \($0.serialNumber) (\($0.model)), test due \($0.nextTestDue)" + ($0.replacementDue ? ", due for replacement" : "") }
        return [
            "servicePointNumber": point.servicePointNumber, "utility": point.utility.rawValue, "address": address(point.premises.address),
            "region": point.premises.region, "capacity": "\(point.capacity.value.formatted()) \(point.capacity.unit)",
            "location": String(format: "%.5f, %.5f", point.location.latitude, point.location.longitude), "meter": meter ?? "no meter",
        ]
    }

    static func facts(_ customer: CustomerDetails) -> [[String: String]] {
        var facts: [(String, String?)] = [
            ("Kind", customer.kind.rawValue), ("National id", customer.nationalId), ("Company registration number", customer.companyRegistrationNumber),
            ("Phones", customer.phones.joined(separator: ", ")), ("E-mail", customer.email), ("Address", address(customer.address)),
            ("Preferred language", customer.preferredLanguage),
        ]
        facts.removeAll { $0.1 == nil || $0.1 == "" }
        return facts.map { ["label": $0.0, "value": $0.1!] }
    }

    static func address(_ address: PostalAddress) -> String {
        [address.line1, address.line2, address.postcode.map { "\($0) \(address.city)" } ?? address.city, address.country]
            .compactMap { $0 }.joined(separator: ", ")
    }
}
