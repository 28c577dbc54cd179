import Contracts

/// A meter's accuracy test judged against its class. At and above 10 % of the nominal load
/// the error allowed is the class itself; below it, where meters are least accurate, one and a
/// half times the class (IEC 62053-21 for class 1 and 2 meters: ±1.5 % and ±2.5 % at 5 %).
public struct InspectionVerdict: Sendable, Equatable {
    public var passed: Bool
    /// The error of the test point furthest beyond (or nearest to) its limit.
    public var worstErrorPercent: Double
    public var limits: [Double]

    public init(accuracyClass: Double, testPoints: [TestPoint]) {
        limits = testPoints.map { Self.limit(accuracyClass: accuracyClass, loadPercent: $0.loadPercent) }
        let margins = zip(testPoints, limits).map { abs($0.errorPercent) / $1 }
        let worst = margins.indices.max { margins[$0] < margins[$1] }
        worstErrorPercent = worst.map { testPoints[$0].errorPercent } ?? 0
        passed = !testPoints.isEmpty && margins.allSatisfy { $0 <= 1 }
    }

    public static func limit(accuracyClass: Double, loadPercent: Double) -> Double {
        loadPercent < 10 ? accuracyClass * 1.5 : accuracyClass
    }

    public static func problems(of testPoints: [TestPoint], at path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if testPoints.isEmpty || testPoints.count > 20 { problems.append(FieldProblem(path, "a test has 1 to 20 test points")) }
        for (index, point) in testPoints.enumerated() {
            if !point.loadPercent.isFinite || point.loadPercent <= 0 || point.loadPercent > 200 {
                problems.append(FieldProblem("\(path)[\(index)].loadPercent", "must be more than 0 and at most 200 % of the nominal load"))
            }
            if !point.errorPercent.isFinite || abs(point.errorPercent) > 100 {
                problems.append(FieldProblem("\(path)[\(index)].errorPercent", "must be between -100 and 100 %"))
            }
        }
        return problems
    }
}
