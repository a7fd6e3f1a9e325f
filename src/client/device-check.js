/* global navigator, sessionStorage, setInterval, clearInterval */
// The device check before joining a circle: the microphone's level as a meter, a picker for the
// microphone (and for a video circle the camera, with a preview only when asked for), and clear
// help when the browser or the person refuses. The choices are kept for the circle's page in
// sessionStorage. Every part is hidden in the page until this script shows it.
(() => {
  const root = document.getElementById('device-check');
  if (!root) return;
  const $ = (name) => document.getElementById(`device-check-${name}`);
  const micPicker = $('mic');
  const cameraPicker = root.dataset.kind === 'video' ? $('camera') : null;
  const meter = $('level');
  const button = $('camera-button');
  const preview = $('preview');
  const help = ['denied', 'missing', 'unsupported', 'failed'];
  const media = navigator.mediaDevices;
  const tools = $('tools');
  let mic = null;
  let camera = null;
  let audio = null;
  let ticking = 0;

  const say = (name) => {
    for (const other of help) if ($(other)) $(other).hidden = other !== name;
  };
  const remember = (kind, id) => {
    try {
      sessionStorage.setItem(`mutual.circle.${kind}`, id);
    } catch {
      // Storage refused: the circle uses the browser's default device.
    }
  };
  const stop = (stream) => stream?.getTracks().forEach((track) => track.stop());
  const failed = (error) => {
    // The pickers and meter are of no use without a microphone; the help says what to do.
    if (!mic && tools) tools.hidden = true;
    say(
      error?.name === 'NotAllowedError' || error?.name === 'SecurityError'
        ? 'denied'
        : error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError'
          ? 'missing'
          : 'failed',
    );
  };

  if (!media?.getUserMedia || !window.isSecureContext) return say('unsupported');

  const fill = async () => {
    const devices = await media.enumerateDevices();
    for (const [picker, kind, stream] of [
      [micPicker, 'audioinput', mic],
      [cameraPicker, 'videoinput', camera],
    ]) {
      if (!picker) continue;
      const current = stream?.getTracks()[0]?.getSettings().deviceId ?? picker.value;
      const found = devices.filter((d) => d.kind === kind && d.deviceId);
      if (found.length === 0) continue;
      picker.replaceChildren(
        ...found.map((d, i) => new window.Option(d.label || String(i + 1), d.deviceId, false, d.deviceId === current)),
      );
    }
  };

  // The level: how loud the microphone is now, ten times a second, from 0 to 1.
  const listen = (stream) => {
    clearInterval(ticking);
    void audio?.close();
    audio = new window.AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    ticking = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      if (meter) meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    }, 100);
    // A browser may hold sound until the person does something on the page.
    if (audio.state === 'suspended') void audio.resume();
  };

  const openMic = async (deviceId) => {
    try {
      const stream = await media.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true });
      stop(mic);
      mic = stream;
      say(null);
      if (tools) tools.hidden = false;
      remember('audioInput', stream.getAudioTracks()[0]?.getSettings().deviceId ?? '');
      listen(stream);
      await fill();
    } catch (error) {
      failed(error);
    }
  };

  const showCamera = async (on) => {
    stop(camera);
    camera = null;
    if (on) {
      try {
        const id = cameraPicker?.value;
        camera = await media.getUserMedia({ video: id ? { deviceId: { exact: id } } : true });
        remember('videoInput', camera.getVideoTracks()[0]?.getSettings().deviceId ?? '');
        say(null);
        await fill();
      } catch (error) {
        failed(error);
      }
    }
    if (preview) {
      preview.srcObject = camera;
      preview.hidden = !camera;
    }
    if (button) {
      button.textContent = camera ? button.dataset.off : button.dataset.on;
      button.setAttribute('aria-pressed', String(!!camera));
    }
  };

  micPicker?.addEventListener('change', () => void openMic(micPicker.value));
  cameraPicker?.addEventListener('change', () => {
    remember('videoInput', cameraPicker.value);
    if (camera) void showCamera(true);
  });
  button?.addEventListener('click', () => void showCamera(!camera));
  document.addEventListener('click', () => void audio?.resume(), { once: true });
  media.addEventListener?.('devicechange', () => void fill().catch(() => undefined));
  // Let go of the microphone and camera when leaving, to join the circle or elsewhere.
  window.addEventListener('pagehide', () => {
    stop(mic);
    stop(camera);
    clearInterval(ticking);
    void audio?.close();
  });
  void openMic(null);
})();
