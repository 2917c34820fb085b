#include "node/home/key_file.h"

#include <cstdio>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "ledger/bytes.h"
#include "node/home/file_io.h"
#include "node/home/json_reader.h"

namespace joet::home {

using nlohmann::json;

std::string key_file_json(const PrivateKey& key) {
  std::string secret = to_hex(key.secret());
  std::string out = "{\"type\": \"bip340\", \"secret\": \"" + secret + "\", \"public\": \"" +
                    key.public_key().hex() + "\"}\n";
  OPENSSL_cleanse(secret.data(), secret.size());
  return out;
}

Loaded<PrivateKey> parse_key_file(std::string_view text, const std::string& file) {
  JsonReader r(file);
  return r.parse<PrivateKey>(text, [&r](const json& doc) {
    r.require_object(doc, "", {"type", "secret", "public"});
    const std::string type = r.string_value(r.field(doc, "", "type"), "type");
    if (type != "bip340") r.fail(HomeErrorKind::kBadValue, "type", "unknown key type " + type + ", expected bip340");
    const json& secret_json = r.field(doc, "", "secret");
    if (!secret_json.is_string()) r.fail(HomeErrorKind::kWrongType, "secret", "a string expected");
    const std::string& hex = secret_json.get_ref<const std::string&>();
    if (hex.size() != 64) r.fail(HomeErrorKind::kBadKey, "secret", "not 64 hex digits");
    auto bytes = from_hex(hex);
    if (!bytes.ok()) r.fail(HomeErrorKind::kBadKey, "secret", "not 64 hex digits");
    auto key = PrivateKey::from_bytes(*bytes);
    OPENSSL_cleanse(bytes->data(), bytes->size());
    if (!key.ok()) r.fail(HomeErrorKind::kBadKey, "secret", "not a valid secret key (0 < key < curve order)");
    const PublicKey stated = r.public_key_value(r.field(doc, "", "public"), "public");
    if (stated != key->public_key()) {
      r.fail(HomeErrorKind::kBadKey, "public", "is not the public key of the secret (the file is damaged)");
    }
    return *key;
  });
}

Loaded<bool> save_key_file(const std::string& path, const PrivateKey& key) {
  std::string text = key_file_json(key);
  auto written = write_file_atomic(path, text, kKeyFileMode, Replace::kNo);
  OPENSSL_cleanse(text.data(), text.size());
  return written;
}

Loaded<PrivateKey> create_key_file(const std::string& path) {
  const PrivateKey key = PrivateKey::generate();
  auto saved = save_key_file(path, key);
  if (!saved.ok()) return Loaded<PrivateKey>::failure(saved.error);
  return Loaded<PrivateKey>{key, {}};
}

Loaded<PrivateKey> load_key_file(const std::string& path) {
  auto file = read_file_limited(path, kMaxKeyFileBytes);
  if (!file.ok()) return Loaded<PrivateKey>::failure(file.error);
  if ((file.value->mode & 077) != 0) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(file.value->mode));
    OPENSSL_cleanse(file.value->text.data(), file.value->text.size());
    return Loaded<PrivateKey>::failure({HomeErrorKind::kInsecurePermissions, path, "",
                                        std::string("the key file has mode ") + mode +
                                            ", so group or others may read it; run chmod 600 " + path});
  }
  auto key = parse_key_file(file.value->text, path);
  OPENSSL_cleanse(file.value->text.data(), file.value->text.size());
  return key;
}

}  // namespace joet::home
