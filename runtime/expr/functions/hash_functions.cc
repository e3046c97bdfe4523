// Hash functions over the UTF-8 bytes of a string, returned as lowercase hex
// as Flink does. OpenSSL's libcrypto computes the digests.
#include <openssl/evp.h>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_util.h"

namespace fsql {

namespace {

using functions::Params;

std::string HexDigest(const EVP_MD* md, const std::string& input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, md, nullptr) != 1) {
    throw Error(fmt::format("computing the {} digest failed", EVP_MD_get0_name(md)));
  }
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

const EVP_MD* DigestOf(const std::string& name) {
  if (name == "MD5") return EVP_md5();
  if (name == "SHA1") return EVP_sha1();
  if (name == "SHA224") return EVP_sha224();
  if (name == "SHA256") return EVP_sha256();
  if (name == "SHA384") return EVP_sha384();
  return EVP_sha512();
}

}  // namespace

void RegisterHashFunctions(std::vector<ScalarFunction>& out) {
  for (const char* name : {"MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"}) {
    out.push_back({name, {}, {Params({ParamKind::kString})}, functions::StringResult,
                   [](const Expr& e, const std::vector<Value>& a, const EvalContext&) {
                     return Value::String(HexDigest(DigestOf(e.function), a[0].as_string()));
                   }});
  }
  // SHA2(s, bits) with 224, 256, 384 or 512 bits; other lengths give NULL.
  out.push_back({"SHA2", {}, {Params({ParamKind::kString, ParamKind::kInteger})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   int64_t bits = a[1].as_int();
                   if (bits != 224 && bits != 256 && bits != 384 && bits != 512) return Value::Null();
                   return Value::String(HexDigest(DigestOf(fmt::format("SHA{}", bits)), a[0].as_string()));
                 },
                 NullPolicy::kNullInNullOut, true});
}

}  // namespace fsql
