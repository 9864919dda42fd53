#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles

/// A growable buffer of plain values with exactly one owner: the storage
/// behind the file table's records, name arena and hash index.
///
/// `Array` checks uniqueness on every append and copies byte buffers through
/// a generic path; parsing a million headers paid for both. This buffer is
/// noncopyable, so it needs no uniqueness check, and appends bytes with one
/// `memcpy`. It is the only place in ZipIndex that allocates memory by
/// hand. Every read is bounds-checked: an index outside `0 ..< count` stops
/// the program, as an `Array` subscript does, and indices only ever come
/// from the table's own construction, never from archive bytes unchecked.
struct TableBuffer<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private(set) var count: Int
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = Self.allocate(self.capacity)
        count = 0
    }

    /// Buffers of 4 MiB and more are aligned to 2 MiB and offered to the
    /// kernel for transparent huge pages: a random lookup in a million-entry
    /// table touches three buffers of tens of megabytes, and with 4 KiB pages
    /// each touch is also a TLB miss. Smaller buffers come from `malloc`.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Element> {
        let bytes = capacity * MemoryLayout<Element>.stride
        let hugePage = 2 << 20
        if bytes >= 2 * hugePage {
            var memory: UnsafeMutableRawPointer?
            if posix_memalign(&memory, hugePage, bytes) == 0, let memory {
                Platform.adviseHugePages(memory, bytes)
                return memory.bindMemory(to: Element.self, capacity: capacity)
            }
        }
        guard let memory = malloc(max(bytes, 1)) else { fatalError("out of memory allocating \(bytes) bytes") }
        return memory.bindMemory(to: Element.self, capacity: capacity)
    }

    /// A buffer of `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    /// A buffer of `count` elements whose values are left as `malloc` gave
    /// them, for a caller that writes every element before it reads it
    /// (the name index's ids, behind their tags): filling them first is a
    /// pass over memory for nothing. The elements are plain bits, so any
    /// value is a valid one; indices stay bounds-checked.
    init(unfilledCount count: Int) {
        self.init(capacity: count)
        self.count = count
    }

    deinit {
        free(base)
    }

    /// The bytes held, from the capacity.
    var byteCount: Int { capacity * MemoryLayout<Element>.stride }

    subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "TableBuffer index out of range")
            return base[index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count, "TableBuffer index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Out of line: inlined into the parse loop, the allocation and copy
    /// it almost never runs cost that loop registers on every entry.
    @inline(never)
    private mutating func grow(to minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newBase = Self.allocate(newCapacity)
        newBase.moveInitialize(from: base, count: count)
        free(base)
        base = newBase
        capacity = newCapacity
    }

    /// Gives back unused capacity when more than 1/16 of it is unused.
    mutating func shrinkToFit() {
        guard capacity - count > capacity / 16, count > 0 else { return }
        let newBase = Self.allocate(count)
        newBase.moveInitialize(from: base, count: count)
        free(base)
        base = newBase
        capacity = count
    }

    /// The initialized elements, borrowed: valid only while the buffer's
    /// owner lives (``TableView`` keeps its owner alongside).
    var borrowedElements: UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: base, count: count)
    }
}

extension TableBuffer where Element == UInt8 {
    /// Appends bytes with one copy.
    @inline(__always)
    mutating func append(contentsOf view: ByteView) {
        let bytes = view.unsafeBytes
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if capacity - count < bytes.count { grow(to: count + bytes.count) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// The bytes in `range`, which must lie within `0 ..< count`.
    @inline(__always)
    func bytes(_ range: Range<Int>) -> ByteView {
        allBytes.extracting(range)
    }

    /// Every byte appended so far.
    var allBytes: ByteView { ByteView(unsafeBytes: UnsafeRawBufferPointer(start: base, count: count)) }
}

// A buffer is mutated only while its builder owns it exclusively; once it is
// moved into a `FileTable` or `DirectoryIndex` it is read-only, so sharing
// it between threads is safe.
extension TableBuffer: @unchecked Sendable {}
