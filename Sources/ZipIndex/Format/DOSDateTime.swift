/// An MS-DOS date and time, as zip headers store them (APPNOTE 4.4.6).
///
/// The format has two-second resolution and no time zone: it is the local
/// time of whoever made the archive. It is given here naively, field by
/// field, as Python's `ZipInfo.date_time` gives it.
public struct DOSDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The raw value: date in the high 16 bits, time in the low 16.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    private var date: UInt32 { rawValue >> 16 }
    private var time: UInt32 { rawValue & 0xFFFF }

    public var year: Int { Int(date >> 9) + 1980 }
    public var month: Int { Int((date >> 5) & 0xF) }
    public var day: Int { Int(date & 0x1F) }
    public var hour: Int { Int(time >> 11) }
    public var minute: Int { Int((time >> 5) & 0x3F) }
    /// Seconds: the format stores them halved.
    public var second: Int { Int(time & 0x1F) * 2 }

    /// `YYYY-MM-DDTHH:MM:SS`, with the fields as stored (not normalised).
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }
}
