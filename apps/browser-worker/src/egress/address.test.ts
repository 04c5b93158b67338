import { describe, expect, it } from "vitest";
import { canonicalAddress, isForbiddenAddress, parseHostLiteral } from "./address";

// Addresses are only classified here, never contacted.
describe("isForbiddenAddress", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.254", "carrier-grade NAT"],
    ["100.100.100.200", "cloud metadata"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "cloud metadata"],
    ["169.254.170.2", "cloud metadata"],
    ["168.63.129.16", "cloud metadata"],
    ["169.254.1.1", "link-local"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.0.0.192", "reserved"],
    ["192.0.2.10", "documentation"],
    ["192.88.99.1", "reserved"],
    ["192.168.1.1", "private"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "cloud metadata"],
    ["::ffff:10.0.0.1", "private"],
    ["::127.0.0.1", "reserved"], // deprecated IPv4-compatible form
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "cloud metadata"],
    ["64:ff9b:1::1", "reserved"],
    ["100::1", "reserved"],
    ["2002:7f00:1::1", "loopback"], // 6to4 around 127.0.0.1
    ["2002:c0a8:101::1", "private"],
    ["fc00::1", "unique local"],
    ["fd00::1", "unique local"],
    ["fd00:ec2::254", "unique local"], // AWS IPv6 metadata
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fec0::1", "site-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["2001::1", "reserved"], // Teredo
    ["2001:10::1", "reserved"], // ORCHID
    ["4000::1", "reserved"],
  ])("refuses %s (%s)", (ip, reason) => {
    expect(isForbiddenAddress(ip)).toContain(reason);
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255", // just below CGNAT
    "100.128.0.0", // just above CGNAT
    "172.15.255.255",
    "172.32.0.0",
    "169.253.255.255",
    "223.255.255.255",
    "2606:4700::1",
    "2001:4860:4860::8888", // outside the 2001::/23 special-purpose block
    "2a00:1450:4001::1",
    "::ffff:93.184.216.34",
    "64:ff9b::5db8:d822", // NAT64 of 93.184.216.34
    "2002:5db8:d822::1", // 6to4 of 93.184.216.34
    "3fff:1000::1", // just outside 3fff::/20
  ])("allows public %s", (ip) => {
    expect(isForbiddenAddress(ip)).toBeNull();
  });

  it.each(["", "localhost", "example.com", "127.0.0.1.", "1.2.3", "2130706433", "::g"])(
    "refuses %j, which is not an IP address",
    (value) => {
      expect(isForbiddenAddress(value)).toBe("not an IP address");
    },
  );
});

describe("canonicalAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:7F00:0001", "127.0.0.1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["2606:4700:0:0:0:0:0:1", "2606:4700::1"],
    ["fe80::1%eth0", "fe80::1"],
  ])("%s -> %s", (input, expected) => {
    expect(canonicalAddress(input)).toBe(expected);
  });

  it("returns null for a name", () => {
    expect(canonicalAddress("example.com")).toBeNull();
  });
});

describe("parseHostLiteral", () => {
  it.each([
    ["127.0.0.1", 4, "127.0.0.1"],
    ["2130706433", 4, "127.0.0.1"],
    ["0x7f.1", 4, "127.0.0.1"],
    ["0x7f000001", 4, "127.0.0.1"],
    ["0177.0.0.1", 4, "127.0.0.1"],
    ["127.1", 4, "127.0.0.1"],
    ["127.0.0.1.", 4, "127.0.0.1"],
    ["%31%32%37.0.0.1", 4, "127.0.0.1"],
    ["１２７.0.0.1", 4, "127.0.0.1"],
    ["0xa9fea9fe", 4, "169.254.169.254"],
    ["0", 4, "0.0.0.0"],
    ["[::1]", 6, "::1"],
    ["::1", 6, "::1"],
    ["[0:0:0:0:0:0:0:1]", 6, "::1"],
    ["[::ffff:127.0.0.1]", 4, "127.0.0.1"],
    ["[::ffff:7f00:1]", 4, "127.0.0.1"],
    ["[FD00::1]", 6, "fd00::1"],
  ])("reads %s as IPv%s %s", (host, family, address) => {
    expect(parseHostLiteral(host)).toEqual({ kind: "ip", family, address });
  });

  it.each([
    ["example.com", "example.com"],
    ["WWW.Example.COM.", "www.example.com"],
    ["portal.utility-sandbox.test", "portal.utility-sandbox.test"],
    ["xn--nxasmq6b.com", "xn--nxasmq6b.com"],
  ])("reads %s as the name %s", (host, hostname) => {
    expect(parseHostLiteral(host)).toEqual({ kind: "name", hostname });
  });

  it.each([
    "",
    "1.2.3.4.5",
    "0x100000000",
    "256.0.0.1.",
    "example.com:80",
    "user@example.com",
    "example.com/path",
    "exa mple.com",
    "[::1",
    "[example.com]",
    "[fe80::1%25eth0]",
    "a..b",
  ])("rejects malformed %j", (host) => {
    expect(parseHostLiteral(host)).toBeNull();
  });
});
