import Contracts
import Foundation
import Testing
import TestSupport

/// `utilis tariff price` as a tariff analyst runs it on the real URDB record.
@Suite struct TariffCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("tariff-cli"))
    static let record = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/tariffs/urdb-jackson-emc-residential-senior.json").path

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func utilis(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
        let process = try ChildProcess(TestEnvironment.executable("utilis"), arguments: arguments)
        let status = await process.wait(timeout: .seconds(60))
        return (status, process.log)
    }

    @Test func pricesAYearOfHourlyRowsMonthByMonth() async throws {
        // 2024, a leap year, hourly rows: 2 kWh every hour of January, 1 kWh every other hour.
        var rows = ["timestamp,kwh"]
        var day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2024, month: 1, day: 1).date!
        for _ in 0..<366 {
            let stamp = day.formatted(.iso8601.year().month().day().dateSeparator(.dash))
            let january = stamp.hasPrefix("2024-01")
            for hour in 0..<24 { rows.append("\(stamp) \(hour < 10 ? "0" : "")\(hour):00,\(january ? 2 : 1)") }
            day += 86_400
        }
        let load = try write("load.csv", rows.joined(separator: "\n"))
        let run = try await utilis(["tariff", "price", "--urdb", Self.record, "--load", load, "--year", "2024"])
        #expect(run.status == 0, "\(run.output)")
        let json = try JSONValue.parse(Data(run.output.utf8))
        guard case .object(let top) = json, case .array(let months)? = top["months"], case .object(let january) = months[0],
            case .object(let july) = months[6], case .object(let annual)? = top["annual"]
        else {
            Issue.record("not the bill's shape: \(run.output)")
            return
        }
        // January: 1,488 kWh: 650 × 0.0896 + 350 × 0.0831 + 488 × 0.0821 = 58.24 + 29.09 + 40.06, plus 5.50.
        #expect(january["energy"] == .number(127.39))
        #expect(january["fixed"] == .number(5.5))
        #expect(january["total"] == .number(132.89))
        // July (summer prices): 744 kWh: 58.24 + 94 × 0.1121 (10.5374 → 10.54), plus 5.50.
        #expect(july["total"] == .number(74.28))
        #expect(months.count == 12)
        #expect(run.output.contains("\"fixed\": 5.50"))
        #expect(annual["fixed"] == .number(66))
    }

    @Test func aLoadFileWithAGapIsRefusedNamingTheRow() async throws {
        let load = try write("gap.csv", "timestamp,kwh\n2023-01-01 00:00,1\n2023-01-01 01:00,1\n2023-01-01 03:00,1\n")
        let run = try await utilis(["tariff", "price", "--urdb", Self.record, "--load", load])
        #expect(run.status != 0)
        #expect(run.output.contains("row 3: 2023-01-01 is 120 minutes after the row before; every row is 60"), "\(run.output)")
    }
}
