// apigw-authz: forged-token logic, part of the pre-request script of the folders with forged-token requests
// (templates/prerequest.js calls it). `apigwAuthzForge(forge, foreignKey, done)` with
//   forge = { source: '{{_NAME.idToken}}' | '<literal or {{variable}}>', forgery: '<kind>',
//             jwks?: '{{NAME.jwksUrl}}' } (the case descriptor)
//   foreignKey = <templates/foreign-test-key.json> | null (in the renderer's setup line, once per folder)
// calls done({ token, problem, blocked }): the forged token the request sends as `{{_forged}}`, or why there is
// none (`blocked`: the real token to forge from is empty, so the case is blocked by its prerequisite).
// Forgeries: tampered-payload (claims changed, original signature), stripped-signature (`h.p.`), alg-none,
// foreign-key (same header kid and claims, RS256 with the foreign test key), other-issuer (`iss` of another
// user pool, signed with the foreign key), space-inside (a space between two characters of the payload segment,
// or of the token when it is not a JWT), unknown-kid (header kid `apigw-authz-unknown-kid`, RS256 with the foreign
// key), hs256-public-key (algorithm confusion: header {"alg":"HS256","typ":"JWT","kid":<same kid>}, HMAC-SHA256
// keyed with the issuer's RSA public key for that kid as SPKI PEM text, exactly as Node's
// `createPublicKey(jwk).export({type:'spki',format:'pem'})` writes it; the key comes from the key set at
// forge.jwks, else from the `jwks_uri` of `<iss>/.well-known/openid-configuration`, fetched once per run).
// The foreign test key is DELIBERATELY PUBLIC (committed in templates/foreign-test-key.json): a token signed
// with it has a valid structure and a valid signature for a key no authorizer trusts. Signing is plain
// RSASSA-PKCS1-v1_5 with SHA-256 on BigInt, so it is deterministic and needs no WebCrypto (Newman 6 has none).

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var cryptoJs = require('crypto-js');
var SHA256_DIGEST_INFO = '3031300d060960864801650304020105000420';

// Strict base64url (RFC 7515): only A-Z a-z 0-9 - _, no padding, and never a length of 1 modulo 4. CryptoJS (like
// most decoders) silently skips other characters, which would turn a malformed token into a "JWT".
function isBase64Url(segment) {
  return /^[A-Za-z0-9_-]*$/.test(segment) && segment.length % 4 !== 1;
}

function base64UrlToWords(segment) {
  if (!isBase64Url(segment)) throw new Error('a segment is not base64url');
  var base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  while (base64.length % 4 !== 0) base64 += '=';
  return cryptoJs.enc.Base64.parse(base64);
}

function wordsToBase64Url(words) {
  return cryptoJs.enc.Base64.stringify(words).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function encodeJson(value) {
  return wordsToBase64Url(cryptoJs.enc.Utf8.parse(JSON.stringify(value)));
}

function decodeJson(segment) {
  return JSON.parse(base64UrlToWords(segment).toString(cryptoJs.enc.Utf8));
}

function bigFromBase64Url(segment) {
  return BigInt('0x' + base64UrlToWords(segment).toString(cryptoJs.enc.Hex));
}

function modPow(base, exponent, modulus) {
  var one = BigInt(1);
  var zero = BigInt(0);
  var result = one;
  var b = base % modulus;
  var e = exponent;
  while (e > zero) {
    if ((e & one) === one) result = (result * b) % modulus;
    e = e >> one;
    b = (b * b) % modulus;
  }
  return result;
}

// RS256 signature of `signingInput` with the foreign key, base64url.
function signRs256(signingInput, foreignKey) {
  var modulusHex = base64UrlToWords(foreignKey.n)
    .toString(cryptoJs.enc.Hex)
    .replace(/^(00)+/, '');
  var size = modulusHex.length / 2;
  var digestInfo = SHA256_DIGEST_INFO + cryptoJs.SHA256(signingInput).toString(cryptoJs.enc.Hex);
  var encoded = '0001' + 'ff'.repeat(size - 3 - digestInfo.length / 2) + '00' + digestInfo;
  var signature = modPow(
    BigInt('0x' + encoded),
    bigFromBase64Url(foreignKey.d),
    BigInt('0x' + modulusHex),
  ).toString(16);
  while (signature.length < size * 2) signature = '0' + signature;
  return wordsToBase64Url(cryptoJs.enc.Hex.parse(signature));
}

// The issuer of another user pool in the same place: `.../us-east-1_PetStore1` -> `.../us-east-1_ForeignPool`.
function otherIssuer(issuer) {
  var match = /^(.*\/)([^/_]+)_[^/]*$/.exec(issuer || '');
  if (match) return match[1] + match[2] + '_ForeignPool';
  if (issuer) return issuer.replace(/\/?$/, '/us-east-1_ForeignPool');
  return 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ForeignPool';
}

function rs256Header(parts) {
  var header = decodeJson(parts[0]);
  if (header.alg === 'RS256') return parts[0];
  return encodeJson({ alg: 'RS256', kid: header.kid, typ: 'JWT' });
}

function signed(headerSegment, payloadSegment, foreignKey) {
  var input = headerSegment + '.' + payloadSegment;
  return input + '.' + signRs256(input, foreignKey);
}

// One space strictly inside a segment, never next to a dot or at an end, whatever the token's length: API
// Gateway answers 401 for it, and no parser that trims segments could take it for a separator.
function spaceInside(token, parts) {
  var at;
  if (parts.length === 3 && parts[1].length >= 2) at = parts[0].length + 1 + Math.floor(parts[1].length / 2);
  else at = Math.max(1, Math.floor(token.length / 2));
  return token.slice(0, at) + ' ' + token.slice(at);
}

var UNKNOWN_KID = 'apigw-authz-unknown-kid';
var RSA_ALGORITHM_IDENTIFIER = '300d06092a864886f70d0101010500';

// DER length octets of `size` bytes.
function derLength(size) {
  var hex = size.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  return size < 128 ? hex : (128 + hex.length / 2).toString(16) + hex;
}

function derTlv(tag, contentHex) {
  return tag + derLength(contentHex.length / 2) + contentHex;
}

// A DER INTEGER of an unsigned big-endian number (base64url): no leading zero octets, one when the top bit is set.
function derUnsigned(segment) {
  var hex = base64UrlToWords(segment)
    .toString(cryptoJs.enc.Hex)
    .replace(/^(00)+/, '');
  if (hex === '') hex = '00';
  if (parseInt(hex.charAt(0), 16) >= 8) hex = '00' + hex;
  return derTlv('02', hex);
}

// The RSA public key of a JWK as SPKI PEM, byte for byte as Node exports it (64-character lines, final newline).
function rsaPublicKeyPem(jwk) {
  var rsaPublicKey = derTlv('30', derUnsigned(jwk.n) + derUnsigned(jwk.e));
  var spki = derTlv('30', RSA_ALGORITHM_IDENTIFIER + derTlv('03', '00' + rsaPublicKey));
  var base64 = cryptoJs.enc.Base64.stringify(cryptoJs.enc.Hex.parse(spki));
  var lines = [];
  for (var i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return '-----BEGIN PUBLIC KEY-----\n' + lines.join('\n') + '\n-----END PUBLIC KEY-----\n';
}

// The issuer's RSA key the token names (its kid), from a key set; the only RSA key when the token has no kid.
function keyForKid(jwks, kid) {
  var keys = (jwks && Array.isArray(jwks.keys) ? jwks.keys : []).filter(function (key) {
    return key && key.kty === 'RSA' && typeof key.n === 'string' && typeof key.e === 'string';
  });
  var named = keys.filter(function (key) {
    return kid !== undefined && key.kid === kid;
  });
  if (named.length > 0) return named[0];
  return kid === undefined && keys.length === 1 ? keys[0] : null;
}

function hs256Confusion(parts, jwk) {
  var kid = decodeJson(parts[0]).kid;
  var header = kid === undefined ? { alg: 'HS256', typ: 'JWT' } : { alg: 'HS256', typ: 'JWT', kid: kid };
  var input = encodeJson(header) + '.' + parts[1];
  return input + '.' + wordsToBase64Url(cryptoJs.HmacSHA256(input, rsaPublicKeyPem(jwk)));
}

function forgeToken(token, forge, foreignKey) {
  var parts = token.split('.');
  if (forge.forgery === 'space-inside') return spaceInside(token, parts);
  if (parts.length !== 3 || !parts.every(isBase64Url)) {
    throw new Error('the real token is not a JWT (three base64url segments: header.payload.signature)');
  }
  var claims = decodeJson(parts[1]);
  if (forge.forgery === 'tampered-payload') {
    claims.sub = String(claims.sub || '') + '-apigw-authz-tampered';
    return parts[0] + '.' + encodeJson(claims) + '.' + parts[2];
  }
  if (forge.forgery === 'stripped-signature') return parts[0] + '.' + parts[1] + '.';
  if (forge.forgery === 'alg-none') return encodeJson({ alg: 'none', typ: 'JWT' }) + '.' + parts[1] + '.';
  if (forge.forgery === 'foreign-key') return signed(rs256Header(parts), parts[1], foreignKey);
  if (forge.forgery === 'other-issuer') {
    claims.iss = otherIssuer(claims.iss);
    return signed(rs256Header(parts), encodeJson(claims), foreignKey);
  }
  if (forge.forgery === 'unknown-kid') {
    return signed(encodeJson({ alg: 'RS256', typ: 'JWT', kid: UNKNOWN_KID }), parts[1], foreignKey);
  }
  throw new Error('unknown forgery ' + forge.forgery);
}

// Fetches a JSON document (the key set, the discovery document) once per run: cached in a collection variable.
function fetchJson(url, what, callback) {
  var cacheKey = '_apigwAuthz.json.' + url;
  var hit = pm.collectionVariables.get(cacheKey);
  if (hit) {
    callback(null, JSON.parse(hit));
    return;
  }
  pm.sendRequest({ url: url, method: 'GET', header: { Accept: 'application/json' } }, function (err, res) {
    if (err) {
      callback(
        'cannot fetch the ' + what + ' at ' + url + ': ' + (err.message || err.code || 'transport error'),
      );
      return;
    }
    var body = null;
    try {
      body = res.json();
    } catch {
      body = null;
    }
    if (res.code !== 200 || !body || typeof body !== 'object') {
      callback('the ' + what + ' at ' + url + ' answered ' + res.code + (body ? '' : ' without JSON'));
      return;
    }
    pm.collectionVariables.set(cacheKey, JSON.stringify(body));
    callback(null, body);
  });
}

// The key set URL: forge.jwks when set, else the discovery document of the token's issuer names it.
function jwksUrlFor(forge, claims, callback) {
  var given = forge.jwks ? pm.variables.replaceIn(forge.jwks) : '';
  if (given && !/\{\{[^}]*\}\}/.test(given)) {
    callback(null, given);
    return;
  }
  if (typeof claims.iss !== 'string' || !/^https?:\/\//.test(claims.iss)) {
    callback(
      'no key set URL: ' +
        (forge.jwks || 'the jwksUrl variable') +
        ' is empty and the token has no issuer URL',
    );
    return;
  }
  var discovery = claims.iss.replace(/\/+$/, '') + '/.well-known/openid-configuration';
  fetchJson(discovery, 'discovery document', function (problem, document) {
    if (problem) callback(problem + ' (or set ' + (forge.jwks || 'the jwksUrl variable') + ')');
    else if (typeof document.jwks_uri !== 'string')
      callback('the discovery document at ' + discovery + ' has no jwks_uri');
    else callback(null, document.jwks_uri);
  });
}

function forgeWithIssuerKey(token, forge, done) {
  var parts = token.split('.');
  if (parts.length !== 3 || !parts.every(isBase64Url)) {
    done({
      token: '',
      problem: 'the real token is not a JWT (three base64url segments: header.payload.signature)',
    });
    return;
  }
  var kid;
  var claims;
  try {
    kid = decodeJson(parts[0]).kid;
    claims = decodeJson(parts[1]);
  } catch (err) {
    done({ token: '', problem: err.message });
    return;
  }
  jwksUrlFor(forge, claims, function (problem, url) {
    if (problem) {
      done({ token: '', problem: problem });
      return;
    }
    fetchJson(url, 'key set', function (fetchProblem, jwks) {
      if (fetchProblem) {
        done({ token: '', problem: fetchProblem });
        return;
      }
      var jwk = keyForKid(jwks, kid);
      if (!jwk) {
        done({
          token: '',
          problem: 'the key set at ' + url + ' has no RSA key with kid ' + JSON.stringify(kid),
        });
        return;
      }
      done({ token: hs256Confusion(parts, jwk), problem: '' });
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by templates/prerequest.js
function apigwAuthzForge(forge, foreignKey, done) {
  var realToken = pm.variables.replaceIn(forge.source);
  if (!realToken || /\{\{[^}]*\}\}/.test(realToken)) {
    done({
      token: '',
      blocked: true,
      problem: 'no real token to forge from (' + forge.source + ' is empty: did the token script fail?)',
    });
    return;
  }
  if (forge.forgery === 'hs256-public-key') {
    forgeWithIssuerKey(realToken, forge, done);
    return;
  }
  var result;
  try {
    result = { token: forgeToken(realToken, forge, foreignKey), problem: '' };
  } catch (err) {
    result = { token: '', problem: err.message };
  }
  done(result);
}
