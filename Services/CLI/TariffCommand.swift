import ArgumentParser
import Contracts
import Foundation
import Pricing

struct TariffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tariff", abstract: "Price loads by tariffs, and keep the Tariff service's tariffs.", subcommands: [TariffPriceCommand.self, TariffImportCommand.self])
}

/// `utilis tariff price --urdb FILE.json --load FILE.csv`: a year of load priced by a URDB
/// record, month by month, as a tariff analyst compares tariffs.
struct TariffPriceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price",
        abstract: "Price a year of load by a URDB tariff record and print each month's charges as JSON.",
        discussion: """
            The load file has `timestamp,kwh` rows, hourly or every 15 minutes (a header line is allowed), \
            or 8,760 plain values, one a line, for a year that is not a leap year. Amounts are in the \
            tariff's currency with two decimals.
            """)

    @Option(help: "A URDB rate record (the API's answer, or one record).") var urdb: String
    @Option(help: "The load: timestamp,kwh rows or 8,760 plain hourly values.") var load: String
    @Option(help: "The year the load is of (the timestamps' year; 2023 for plain values).") var year: Int?

    func run() throws {
        do {
            let record = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: urdb)))
            let (tariff, version) = try URDB.read(record)
            let (loadYear, intervals) = try LoadFile.read(try String(contentsOfFile: load, encoding: .utf8), year: year)
            let bill = try Pricer(tariff: tariff, versions: [version]).priceYear(loadYear, intervals: intervals)
            print(Self.json(bill, tariff))
        } catch let refused as PricingRefused {
            throw ValidationError(refused.description)
        } catch let error as JSONSyntaxError {
            throw ValidationError("\(urdb): \(error)")
        }
    }

    /// Written by hand so every amount shows its two decimals (`5.50`).
    static func json(_ bill: YearBill, _ tariff: Tariff) -> String {
        func money(_ minor: Int) -> String {
            let cents = Double(minor) / pow(10, Double(tariff.minorDigits))
            return String(format: "%.2f", cents)
        }
        func object(_ fields: [(String, String)], indent: String) -> String {
            "{\n" + fields.map { "\(indent)  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n\(indent)}"
        }
        let months = bill.months.map { month in
            object(
                [
                    ("month", String(month.month)), ("energy", money(month.energy)), ("fixed", money(month.fixed)), ("demand", money(month.demand)),
                    ("minimum", money(month.minimum)), ("total", money(month.total)),
                ], indent: "    ")
        }
        let sum = { (part: KeyPath<YearBill.Month, Int>) in money(bill.months.reduce(0) { $0 + $1[keyPath: part] }) }
        let annual = object(
            [("energy", sum(\.energy)), ("fixed", sum(\.fixed)), ("demand", sum(\.demand)), ("minimum", sum(\.minimum)), ("total", money(bill.total))],
            indent: "  ")
        let name = (try? JSONValue.of(tariff.name).canonicalJSON) ?? "\"\""
        return object(
            [
                ("tariff", name), ("currency", "\"\(tariff.currency)\""), ("year", String(bill.year)),
                ("months", "[\n    " + months.joined(separator: ",\n    ") + "\n  ]"), ("annual", annual),
            ], indent: "")
    }
}
