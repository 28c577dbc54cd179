/// The JSON schemas of the tariff model and of pricing.
extension JSONSchema {
    static let tariffCode = JSONSchema.string(minLength: 1, maxLength: 30, pattern: "^[A-Za-z0-9._-]+$")
    static let chargeKinds = JSONSchema.array(.enumeration(ChargeKind.allCases.map(\.rawValue)))
    static let tariff = JSONSchema.object(
        properties: [
            "code": .tariffCode, "name": .string(minLength: 1, maxLength: 200), "provider": .string(), "utility": .utility, "useType": .useType,
            "region": .string(minLength: 1, maxLength: 20), "currency": .string(pattern: "^[A-Z]{3}$"), "minorDigits": .integer(minimum: 0, maximum: 4),
            "unit": .string(minLength: 1, maxLength: 10), "references": .any,
        ], required: ["code", "name", "provider", "utility", "useType", "region", "currency", "minorDigits", "unit", "references"])
    static let tiers = JSONSchema.array(.object(
        properties: ["upTo": .nullable(.tariffDecimal), "price": .tariffDecimal, "adjustment": .tariffDecimal], required: ["price", "adjustment"]))
    static let ratePeriods = JSONSchema.array(.object(properties: ["name": .string(minLength: 1), "tiers": .tiers], required: ["name", "tiers"]))
    static let monthHourSchedule = JSONSchema.array(.array(.integer(minimum: 0, maximum: 31)))
    static let tariffVersion = JSONSchema.object(
        properties: [
            "effectiveFrom": .string(format: .date),
            "fixedCharges": .array(.object(
                properties: ["name": .string(minLength: 1), "amount": .tariffDecimal, "per": .enumeration(FixedCharge.Basis.allCases.map(\.rawValue))],
                required: ["name", "amount", "per"])),
            "energy": .object(
                properties: [
                    "tierBasis": .enumeration(["month", "day"]), "periods": .ratePeriods, "weekdaySchedule": .monthHourSchedule,
                    "weekendSchedule": .monthHourSchedule,
                ], required: ["tierBasis", "periods", "weekdaySchedule", "weekendSchedule"]),
            "demand": .nullable(.object(
                properties: [
                    "flat": .nullable(.object(properties: ["periods": .ratePeriods, "months": .array(.integer(minimum: 0, maximum: 31))], required: ["periods", "months"])),
                    "timeOfUse": .nullable(.object(
                        properties: ["periods": .ratePeriods, "weekdaySchedule": .monthHourSchedule, "weekendSchedule": .monthHourSchedule],
                        required: ["periods", "weekdaySchedule", "weekendSchedule"])),
                ], required: [])),
            "minimum": .nullable(.object(properties: ["amount": .tariffDecimal, "per": .enumeration(["month", "day", "year"])], required: ["amount", "per"])),
            "seasons": .array(.object(properties: ["name": .string(minLength: 1), "months": .array(.integer(minimum: 1, maximum: 12))], required: ["name", "months"])),
            "weekendDays": .array(.integer(minimum: 1, maximum: 7)), "holidays": .array(.string(format: .date)),
            "regionFactors": .array(.object(
                properties: ["region": .string(minLength: 1), "factor": .tariffDecimal, "on": .chargeKinds], required: ["region", "factor", "on"])),
            "discounts": .array(.object(
                properties: [
                    "name": .string(minLength: 1), "percent": .tariffDecimal, "useTypes": .array(.useType), "categories": .array(.string()), "on": .chargeKinds,
                ], required: ["name", "percent", "useTypes", "categories", "on"])),
            "taxes": .array(.object(
                properties: ["name": .string(minLength: 1), "percent": .nullable(.tariffDecimal), "fixedPerMonth": .nullable(.tariffDecimal), "on": .chargeKinds],
                required: ["name", "on"])),
            "rounding": .object(
                properties: ["mode": .enumeration(Rounding.Mode.allCases.map(\.rawValue)), "per": .enumeration(["line", "bill"])], required: ["mode", "per"]),
        ],
        required: [
            "effectiveFrom", "fixedCharges", "energy", "seasons", "weekendDays", "holidays", "regionFactors", "discounts", "taxes", "rounding",
        ])
    static let priceRequest = JSONSchema.object(
        properties: [
            "tariffCode": .tariffCode, "region": .nullable(.string()), "from": .string(format: .date), "to": .string(format: .date),
            "consumption": .object(
                properties: [
                    "registers": .any, "demand": .any,
                    "intervals": .nullable(.object(
                        properties: ["start": .string(minLength: 16), "minutes": .integer(minimum: 5, maximum: 60), "values": .array(.number)],
                        required: ["start", "minutes", "values"])),
                ], required: ["registers", "demand"]),
            "useType": .nullable(.useType), "categories": .array(.string()), "meters": .nullable(.integer(minimum: 1, maximum: 1000)),
        ], required: ["tariffCode", "from", "to", "consumption", "categories"])
    static let priceQuote = JSONSchema.object(
        properties: [
            "tariffCode": .tariffCode, "currency": .string(pattern: "^[A-Z]{3}$"), "minorDigits": .integer(minimum: 0, maximum: 4),
            "from": .string(format: .date), "to": .string(format: .date),
            "parts": .array(.object(
                properties: ["from": .string(format: .date), "to": .string(format: .date), "version": .string(format: .date)], required: ["from", "to", "version"])),
            "lines": .array(.object(
                properties: [
                    "kind": .enumeration(["fixed", "energy", "demand", "minimum", "region-factor", "discount", "tax", "rounding"]),
                    "charge": .nullable(.enumeration(ChargeKind.allCases.map(\.rawValue))), "name": .string(), "part": .integer(minimum: 0),
                    "quantity": .nullable(.number), "unit": .nullable(.string()), "unitPrice": .nullable(.tariffDecimal), "amount": .integer(),
                ], required: ["kind", "name", "part", "amount"])),
            "total": .integer(),
        ], required: ["tariffCode", "currency", "minorDigits", "from", "to", "parts", "lines", "total"])
    static let feeChanges = JSONSchema.array(.object(
        properties: ["field": .string(), "before": .nullable(.string()), "after": .nullable(.string())], required: ["field"]))
}

extension Tariff {
    public static var example: Tariff {
        Tariff(
            code: "E-RES-1", name: "Residential electricity", utility: .electricity, useType: .residential, region: "TEHRAN", currency: "IRR",
            minorDigits: 0, unit: "kWh")
    }
}

extension TariffVersion {
    public static var example: TariffVersion {
        TariffVersion(
            effectiveFrom: "2026-03-21", fixedCharges: [FixedCharge(name: "Meter rental", amount: TariffDecimal(45_000), per: .month)],
            energy: EnergyCharge(tiers: [
                Tier(upTo: TariffDecimal(100), price: TariffDecimal(1_250)), Tier(upTo: TariffDecimal(200), price: TariffDecimal(2_900)),
                Tier(upTo: nil, price: TariffDecimal(6_400)),
            ]),
            seasons: [Season(name: "summer", months: [6, 7, 8, 9])], weekendDays: [5],
            regionFactors: [RegionFactor(region: "KHUZESTAN", factor: TariffDecimal("0.7")!, on: [.energy])],
            discounts: [Discount(name: "Low-income household", percent: TariffDecimal(20), categories: ["low-income"], on: [.energy])],
            taxes: [Tax(name: "VAT", percent: TariffDecimal(10), on: [.fixed, .energy])], rounding: Rounding(mode: .halfUp, per: .bill))
    }
}

extension PriceRequest {
    public static var example: PriceRequest {
        PriceRequest(
            tariffCode: "E-RES-1", region: "TEHRAN", from: "2026-04-01", to: "2026-04-30", consumption: Consumption(registers: ["total": 240]),
            useType: .residential)
    }
}

extension PriceQuote {
    public static var example: PriceQuote {
        PriceQuote(
            tariffCode: "E-RES-1", currency: "IRR", minorDigits: 0, from: "2026-04-01", to: "2026-04-30",
            parts: [Part(from: "2026-04-01", to: "2026-04-30", version: "2026-03-21")],
            lines: [
                BillLine(kind: .fixed, charge: .fixed, name: "Meter rental", part: 0, quantity: 1, unit: "month", unitPrice: TariffDecimal(45_000), amount: 45_000),
                BillLine(kind: .energy, charge: .energy, name: "Energy, 0–100 kWh", part: 0, quantity: 100, unit: "kWh", unitPrice: TariffDecimal(1_250), amount: 125_000),
                BillLine(kind: .energy, charge: .energy, name: "Energy, 100–200 kWh", part: 0, quantity: 100, unit: "kWh", unitPrice: TariffDecimal(2_900), amount: 290_000),
                BillLine(kind: .energy, charge: .energy, name: "Energy, over 200 kWh", part: 0, quantity: 40, unit: "kWh", unitPrice: TariffDecimal(6_400), amount: 256_000),
                BillLine(kind: .tax, charge: nil, name: "VAT 10%", part: 0, unitPrice: TariffDecimal(10), amount: 71_600),
            ], total: 787_600)
    }
}
