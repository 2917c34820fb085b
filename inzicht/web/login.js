// The login view: #login-form with #login-user, #login-password, #login-submit; messages in
// #login-error.

import { api } from './api.js';

export const MESSAGE_EXPIRED = 'Uw sessie is verlopen; log opnieuw in';
const MESSAGE_BAD_LOGIN = 'Onbekende gebruiker of onjuist wachtwoord';

const $ = (id) => document.getElementById(id);

let countdown = null;

function setMessage(text) {
  const box = $('login-error');
  box.textContent = text || '';
  box.hidden = !text;
}

function stopCountdown() {
  if (countdown) clearInterval(countdown);
  countdown = null;
  $('login-submit').disabled = false;
}

// 429: the submit button stays disabled while the wait runs down.
function startCountdown(seconds) {
  stopCountdown();
  let left = Math.max(1, Math.ceil(seconds));
  const show = () => setMessage(`Te veel inlogpogingen. Probeer het over ${left} ${left === 1 ? 'seconde' : 'seconden'} opnieuw.`);
  show();
  $('login-submit').disabled = true;
  countdown = setInterval(() => {
    left -= 1;
    if (left <= 0) {
      stopCountdown();
      setMessage('U kunt het opnieuw proberen.');
    } else {
      show();
    }
  }, 1000);
}

function failureMessage(error) {
  if (error.status === 401) return MESSAGE_BAD_LOGIN;
  if (error.code === 'NETWORK') return 'De server is niet bereikbaar. Probeer het later opnieuw.';
  return `Inloggen is niet gelukt: ${error.message} (${error.code})`;
}

export function showLogin(message = '') {
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  setMessage(message);
  $('login-password').value = '';
  document.title = 'Inloggen — Inzicht';
  $('login-user').focus();
}

export function hideLogin() {
  stopCountdown();
  setMessage('');
  $('login-view').hidden = true;
}

export function initLogin(onLoggedIn) {
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const user = $('login-user').value.trim();
    const password = $('login-password').value;
    if (!user || !password) {
      setMessage('Vul uw gebruikersnaam en wachtwoord in.');
      return;
    }
    const submit = $('login-submit');
    submit.disabled = true;
    submit.textContent = 'Bezig met inloggen…';
    try {
      const me = await api.login(user, password);
      $('login-password').value = '';
      submit.disabled = false;
      submit.textContent = 'Inloggen';
      onLoggedIn(me);
    } catch (error) {
      submit.textContent = 'Inloggen';
      submit.disabled = false;
      if (error.status === 429) {
        startCountdown(error.retryAfter ?? 60);
      } else {
        setMessage(failureMessage(error));
        $('login-password').value = '';
        $('login-password').focus();
      }
    }
  });
}
