import Contracts
import Foundation
import Testing

@testable import Registry

/// The pure rules of the installation record: dates, codes, places, capacities, readings,
/// meter tests and which status may follow which.
@Suite struct InstallationRulesTests {
    @Test func datesAreRealDaysAndDateTimesKeepTheirOffset() {
        #expect(Moment.date("2024-02-29").map(Moment.day) == "2024-02-29")
        #expect(Moment.date("2026-02-29") == nil && Moment.date("2026-13-01") == nil && Moment.date("2026-1-01") == nil)
        #expect(Moment.date("1970-01-01")?.timeIntervalSince1970 == 0)
        #expect(Moment.date("2026-12-01")?.timeIntervalSince1970 == 1_796_083_200)
        #expect(Moment.normalized("2026-12-01T09:30:00+03:30") == "2026-12-01T06:00:00Z")
        #expect(Moment.normalized("2026-12-01T06:00:00.250Z") == "2026-12-01T06:00:00Z")
        #expect(Moment.normalized("2026-12-01") == "2026-12-01T12:00:00Z", "a day is taken at noon UTC")
        var problems: [FieldProblem] = []
        let now = Date(timeIntervalSince1970: 1_796_083_200)
        _ = Moment.of("2026-12-03", now: now, problems: &problems)
        _ = Moment.of("yesterday", now: now, problems: &problems)
        #expect(problems.map(\.message) == ["lies in the future", "must be a date like 2026-12-01 or a date-time like 2026-12-01T09:30:00+03:30"])
    }

    @Test func codesPhonesAddressesAndLanguagesHaveTheirShapes() {
        #expect("TEH-1".isCode(maxLength: 20) && !"teh-1".isCode(maxLength: 20) && !"-TEH".isCode(maxLength: 20) && !"".isCode(maxLength: 20))
        #expect("+98 21 5555 1234".isPhoneNumber && "021-5555-0000".isPhoneNumber && !"call me".isPhoneNumber && !"+1234".isPhoneNumber)
        #expect("h.rezaei@example.ir".isEmailAddress && !"nowhere".isEmailAddress && !"a@b".isEmailAddress && !"a b@c.ir".isEmailAddress)
        #expect("fa".isLanguageTag && "en-GB".isLanguageTag && !"english".isLanguageTag && !"EN".isLanguageTag)
        #expect("IRR".isCapitals(3) && !"IR".isCapitals(3))
    }

    @Test func aPlaceIsOnTheEarthAndACapacityInItsUtilitysUnit() {
        #expect(Coordinates(latitude: 35.7, longitude: 51.4).problems(at: "l").isEmpty)
        #expect(Coordinates(latitude: -91, longitude: 181).problems(at: "l").map(\.field) == ["l.latitude", "l.longitude"])
        #expect(Coordinates(latitude: 0, longitude: 0).problems(at: "l").map(\.field) == ["l"])
        #expect(Capacity(value: 25, unit: "A").problems(for: .electricity, at: "c").isEmpty)
        #expect(Capacity(value: 25, unit: "A").problems(for: .water, at: "c").map(\.message) == ["water capacity is in mm"])
        #expect(Capacity(value: 0, unit: "mm").problems(for: .water, at: "c").map(\.field) == ["c.value"])
    }

    @Test func readingsAreOneForEachRegisterWithinTheDials() {
        let meter = MeterSpecification(
            manufacturer: "Afzar Azma", serialNumber: "X", utility: .electricity, model: "M", registers: ["peak", "off-peak"], dials: 5, multiplier: 1,
            accuracyClass: 1, nominalRating: "10(60) A", yearOfManufacture: 2025, seals: [], nextTestDue: "2030-01-01")
        #expect(meter.problems(of: [.init(register: "peak", index: 99_999.5), .init(register: "off-peak", index: 0)], at: "r").isEmpty)
        #expect(meter.problems(of: [.init(register: "peak", index: 100_000), .init(register: "total", index: 1)], at: "r").map(\.field) == [
            "r[0].index", "r[1].register", "r",
        ])
        #expect(meter.problems(at: "m", thisYear: 2026).isEmpty)
    }

    @Test func aMeterPassesWithinItsClassAndOneAndAHalfTimesItAtLowLoad() {
        let points = [TestPoint(loadPercent: 5, errorPercent: -1.4), TestPoint(loadPercent: 100, errorPercent: 0.9)]
        #expect(InspectionVerdict(accuracyClass: 1, testPoints: points).passed)
        let failed = InspectionVerdict(accuracyClass: 1, testPoints: points + [TestPoint(loadPercent: 120, errorPercent: 1.2)])
        #expect(!failed.passed && failed.worstErrorPercent == 1.2 && failed.limits == [1.5, 1, 1])
        #expect(!InspectionVerdict(accuracyClass: 2, testPoints: []).passed, "no test point, no pass")
    }

    @Test func statusesMoveOnlyAsTheyCanInTheField() {
        #expect(MeterStatus.inStock.allows(.installed) && MeterStatus.installed.allows(.removed) && !MeterStatus.removed.allows(.installed))
        #expect(!MeterStatus.scrapped.allows(.inStock) && !MeterStatus.underTest.allows(.installed))
        #expect(SubscriptionStatus.pending.refusal(moving: .active) == nil && SubscriptionStatus.suspended.refusal(moving: .active) == nil)
        #expect(SubscriptionStatus.terminated.refusal(moving: .active) == "the subscription is terminated; open a new one")
        #expect(SubscriptionStatus.pending.refusal(moving: .suspended) != nil)
    }
}
