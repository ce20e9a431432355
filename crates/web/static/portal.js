// The portal's proof of work: before a report is sent, find a nonce such that
// SHA-256(challenge || nonce as 8 bytes, big-endian) starts with `bits` zero bits. It makes
// filing in bulk costly, needs no third party and works offline. Plain SHA-256, so that it
// also runs where crypto.subtle is not offered (plain HTTP on an intranet address).
(function () {
  "use strict";
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Uint32Array(64);

  // The first 32-bit word of SHA-256(msg): enough to count up to 32 leading zero bits.
  function sha256(msg) {
    var len = msg.length, blocks = ((len + 8) >> 6) + 1, buf = new Uint8Array(blocks * 64);
    buf.set(msg);
    buf[len] = 0x80;
    var bits = len * 8;
    buf[buf.length - 4] = bits >>> 24; buf[buf.length - 3] = bits >>> 16;
    buf[buf.length - 2] = bits >>> 8; buf[buf.length - 1] = bits;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
        h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var o = 0; o < buf.length; o += 64) {
      for (var i = 0; i < 16; i++) {
        W[i] = (buf[o + 4 * i] << 24) | (buf[o + 4 * i + 1] << 16) | (buf[o + 4 * i + 2] << 8) | buf[o + 4 * i + 3];
      }
      for (i = 16; i < 64; i++) {
        var a = W[i - 15], b = W[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[i] + W[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h0 = (h0 + A) | 0; h1 = (h1 + B) | 0; h2 = (h2 + C) | 0; h3 = (h3 + D) | 0;
      h4 = (h4 + E) | 0; h5 = (h5 + F) | 0; h6 = (h6 + G) | 0; h7 = (h7 + H) | 0;
    }
    return h0 >>> 0;
  }

  function leadingZeros(word) {
    return word === 0 ? 32 : Math.clz32(word);
  }

  function solve(token, bits, done, progress) {
    var prefix = new TextEncoder().encode(token), msg = new Uint8Array(prefix.length + 8);
    msg.set(prefix);
    var nonce = 0;
    function chunk() {
      for (var n = 0; n < 20000; n++, nonce++) {
        // The nonce's high 32 bits stay 0 (2^32 tries are far beyond any difficulty asked).
        var at = prefix.length + 4;
        msg[at] = nonce >>> 24; msg[at + 1] = nonce >>> 16; msg[at + 2] = nonce >>> 8; msg[at + 3] = nonce;
        if (leadingZeros(sha256(msg)) >= bits) {
          done(nonce);
          return;
        }
      }
      progress(nonce);
      setTimeout(chunk, 0);
    }
    chunk();
  }

  var form = document.getElementById("report-form");
  if (!form) return;
  var status = document.getElementById("proof-status");
  form.addEventListener("submit", function (ev) {
    var nonce = form.querySelector("input[name=nonce]");
    if (nonce.value !== "") return;
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.hidden = false;
    var token = form.querySelector("input[name=challenge]").value;
    var bits = parseInt(form.querySelector("input[name=bits]").value, 10);
    solve(token, bits, function (n) {
      nonce.value = String(n);
      form.submit();
    }, function () {});
  });
})();
