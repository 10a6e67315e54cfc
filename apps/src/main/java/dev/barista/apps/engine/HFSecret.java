package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;

/**
 * flytekit's HFSecret: which stored secret holds the Hugging Face token. Flyte exposes secrets as
 * {@code PREFIX + GROUP_KEY}; locally the token is read from the secrets store under
 * {@code group/key} (or {@code key}) and given to the replica as HF_TOKEN and HUGGING_FACE_HUB_TOKEN.
 */
public record HFSecret(String secretsPrefix, String hfTokenGroup, String hfTokenKey) {
  public HFSecret {
    if (secretsPrefix == null || secretsPrefix.isBlank())
      throw new AppValidationException("hf_secret.secrets_prefix", "must not be empty (e.g. _UNION_ or _FSEC_)");
    if (hfTokenKey == null || !hfTokenKey.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
      throw new AppValidationException("hf_secret.hf_token_key", "'" + hfTokenKey + "' is not a secret key");
    if (hfTokenGroup != null && !hfTokenGroup.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
      throw new AppValidationException("hf_secret.hf_token_group", "'" + hfTokenGroup + "' is not a secret group");
  }

  public String storeName() {
    return hfTokenGroup == null ? hfTokenKey : hfTokenGroup + "/" + hfTokenKey;
  }
}
