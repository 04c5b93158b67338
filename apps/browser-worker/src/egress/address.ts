// Which network addresses the remote browser may reach: the product-wide classification
// in @meterlink/shared/address (shared with the webhook deliverer, so both refuse the
// same addresses). The proxy (proxy.ts) applies it to every address it connects to.
export {
  canonicalAddress,
  isForbiddenAddress,
  parseHostLiteral,
  type THostLiteral,
} from "@meterlink/shared/address";
