import Billing
import Contracts
import Testing

/// Validation as a billing officer would check it: rollovers, indexes that fall, no
/// consumption, consumption far from the average, and what does not fit the dials.
@Suite struct ReadingCheckTests {
    let check = ReadingCheck()
    let fourDials = MeterDials(dials: 4, multiplier: 1)
    let day = 86_400

    func read(_ index: Double, unwound: Double? = nil, at moment: Int) -> Read {
        Read(readingId: "R", index: index, unwound: unwound ?? index, at: moment, source: .actual)
    }

    @Test func anIndexPastTheLastDialRollsOverAndCountsWhatWasUsed() {
        let outcome = check.check(index: 30, at: 30 * day, previous: read(9_950, unwound: 19_950, at: 0), dials: fourDials, dailyUsage: 3)
        #expect(outcome.rolledOver)
        #expect(outcome.consumption == 80)
        #expect(outcome.unwound == 20_030)
        #expect(outcome.flags.isEmpty)
    }

    @Test func anIndexThatFallsFarIsBackwardsNotARollover() {
        let outcome = check.check(index: 4_900, at: 30 * day, previous: read(5_000, at: 0), dials: fourDials, dailyUsage: nil)
        #expect(outcome.flags == [.backwards])
        #expect(!outcome.rolledOver)
        #expect(outcome.consumption == nil)
        #expect(outcome.unwound == 5_000)
    }

    @Test func theMultiplierTurnsDialsIntoConsumption() {
        let outcome = check.check(index: 1_250, at: 30 * day, previous: read(1_200, at: 0), dials: MeterDials(dials: 5, multiplier: 40), dailyUsage: 70)
        #expect(outcome.consumption == 2_000)
        #expect(outcome.flags.isEmpty)
    }

    @Test func noConsumptionAndFarFromTheAverageAreFlagged() {
        #expect(check.check(index: 1_200, at: 30 * day, previous: read(1_200, at: 0), dials: fourDials, dailyUsage: 8).flags == [.zero])
        #expect(check.check(index: 2_200, at: 30 * day, previous: read(1_200, at: 0), dials: fourDials, dailyUsage: 8).flags == [.high])
        #expect(check.check(index: 1_220, at: 30 * day, previous: read(1_200, at: 0), dials: fourDials, dailyUsage: 8).flags == [.low])
        #expect(check.check(index: 1_440, at: 30 * day, previous: read(1_200, at: 0), dials: fourDials, dailyUsage: 8).flags == [])
        // Over two days the same rate is not judged: too short to tell.
        #expect(check.check(index: 1_300, at: 2 * day, previous: read(1_200, at: 0), dials: fourDials, dailyUsage: 8).flags == [])
    }

    @Test func aMeterFirstReadingHasNothingToCompareWith() {
        let outcome = check.check(index: 17, at: day, previous: nil, dials: fourDials, dailyUsage: nil)
        #expect(outcome == ReadingCheck.Outcome(unwound: 17, consumption: nil, flags: [], rolledOver: false))
    }

    @Test func indexesNoDialsCouldShowAreProblems() {
        #expect(check.problem(index: 10_000, dials: fourDials) == "10000.0 does not fit the meter's 4 dials")
        #expect(check.problem(index: -1, dials: fourDials) != nil)
        #expect(check.problem(index: .nan, dials: fourDials) != nil)
        #expect(check.problem(index: 9_999, dials: fourDials) == nil)
    }

    @Test func datesAndMomentsAreReadByArithmetic() {
        #expect(BillingDay.day("2026-11-30") == 20_787)
        #expect(BillingDay.text(day: 20_787) == "2026-11-30")
        #expect(BillingDay.moment("2026-11-30T09:10:00Z") == 20_787 * 86_400 + 9 * 3_600 + 600)
        #expect(BillingDay.moment("2026-11-30T09:10:00.250Z") == 20_787 * 86_400 + 9 * 3_600 + 600)
        #expect(BillingDay.moment("2026-11-30T09:10:00+03:30") == nil)
        #expect(BillingDay.day("2026-02-30") == nil)
        #expect(BillingDay.text(moment: 20_787 * 86_400 + 86_399) == "2026-11-30T23:59:59Z")
    }
}
