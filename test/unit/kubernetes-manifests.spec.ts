/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the rendered manifests are read as plain YAML (the first test checks each against its kind's
   schema model), so their fields are `any` here. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as certManager from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import * as trustManager from '@kubernetes-models/cert-manager/trust.cert-manager.io/v1alpha1';
import * as gatewayApi from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import * as envoyGateway from '@kubernetes-models/envoy-gateway/gateway.envoyproxy.io/v1alpha1';
import { loadAppConfig } from '../../src/config/app-config.js';
import { parseAccessFile } from '../../src/config/access-file.js';

const ROOT = new URL('../../deploy/kubernetes/', import.meta.url).pathname;
/** The service's name (package.json; `npm run rename` sets both), which its objects carry. */
const NAME = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    name: string;
  }
).name;

/** The schema model of each kind the manifests may use; anything else fails the test. */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'cert-manager.io/v1': certManager,
  'trust.cert-manager.io/v1alpha1': trustManager,
  'gateway.networking.k8s.io/v1': gatewayApi,
  'gateway.envoyproxy.io/v1alpha1': envoyGateway,
};

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see the top of the file
  spec?: any;
  data?: Record<string, string>;
}

function kubectlAvailable(): boolean {
  const found = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).status === 0;
  if (!found) {
    if (process.env.CI === 'true')
      throw new Error('kubectl is required in CI (apt-get install -y kubernetes-client)');
    process.stderr.write(
      '\n*** kubectl is not installed: the Kubernetes manifest tests are SKIPPED (apt-get install -y kubernetes-client) ***\n\n',
    );
  }
  return found;
}

/** `kubectl kustomize` of a folder under deploy/kubernetes, as objects. */
function render(dir: string): K8sObject[] {
  const run = spawnSync('kubectl', ['kustomize', posix.join(ROOT, dir)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((d) => d.toJSON() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

const find = (objects: K8sObject[], kind: string, name?: string): K8sObject => {
  const found = objects.find(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} rendered`);
  return found;
};

const OVERLAYS = ['overlays/direct', 'overlays/gateway'] as const;

describe.skipIf(!kubectlAvailable())('Kubernetes manifests (kubectl kustomize)', () => {
  const trust = render('trust');
  const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, render(o)])) as Record<
    (typeof OVERLAYS)[number],
    K8sObject[]
  >;

  it.each<string>(['trust', ...OVERLAYS])(
    '%s: every object is valid against its kind schema',
    (dir) => {
      const objects = dir === 'trust' ? trust : rendered[dir as (typeof OVERLAYS)[number]];
      expect(objects.length).toBeGreaterThan(1);
      for (const object of objects) {
        const Model = MODELS[object.apiVersion]?.[object.kind] as
          (new (data: unknown) => { validate(): void }) | undefined;
        expect(Model, `${object.apiVersion} ${object.kind} has a schema`).toBeDefined();
        expect(
          () => new Model!(object).validate(),
          `${object.kind} ${object.metadata.name}`,
        ).not.toThrow();
      }
    },
  );

  describe.each(OVERLAYS)('%s', (overlay) => {
    const objects = rendered[overlay];
    const deployment = find(objects, 'Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    const envConfigMap = find(objects, 'ConfigMap', container.envFrom[0].configMapRef.name);
    const env: Record<string, string> = {
      ...envConfigMap.data,
      ...Object.fromEntries(
        (container.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]),
      ),
    };
    const fileVariables = Object.entries(env).filter(([name]) => name.endsWith('_FILE'));

    it("sets an environment the app's own configuration accepts", () => {
      const config = loadAppConfig(env);
      expect(config.tls.enabled).toBe(true);
      expect(config.tls.ticketKeysFile).toBe('/etc/mtls/tickets/ticket-keys');
      expect(fileVariables.length).toBeGreaterThanOrEqual(8);
    });

    it('mounts every file the app reads, whole directories (no subPath), and no key it does not read', () => {
      const volumes = new Map<string, { items?: { key: string; path: string }[] }>(
        pod.volumes.map((v: { name: string; secret?: object; configMap?: object }) => [
          v.name,
          v.secret ?? v.configMap,
        ]),
      );
      const mounted = new Set<string>();
      for (const mount of container.volumeMounts) {
        expect(mount.subPath, `${mount.name} has no subPath`).toBeUndefined();
        const source = volumes.get(mount.name);
        if (!source) continue; // the emptyDir for /tmp
        expect(source.items, `${mount.name} lists the keys it mounts`).toBeDefined();
        for (const item of source.items ?? []) mounted.add(posix.join(mount.mountPath, item.path));
      }
      expect(new Set(fileVariables.map(([, path]) => path))).toEqual(mounted);
    });

    it('mounts the Secrets cert-manager writes and the bundle trust-manager publishes', () => {
      const secretOf = (volume: string) =>
        pod.volumes.find((v: { name: string }) => v.name === volume).secret.secretName;
      const server = find(objects, 'Certificate', `${NAME}-server`);
      const client = find(objects, 'Certificate', `${NAME}-client`);
      expect(secretOf('server-tls')).toBe(server.spec.secretName);
      expect(secretOf('client-tls')).toBe(client.spec.secretName);
      expect(server.spec.usages).toContain('server auth');
      expect(server.spec.dnsNames).toContain(`${NAME}.services.svc`);
      expect(client.spec.usages).toContain('client auth');
      expect(client.spec.uris[0]).toMatch(/^spiffe:\/\//);
      for (const certificate of [server, client]) {
        expect(certificate.spec.issuerRef.name).toBe(find(trust, 'ClusterIssuer').metadata.name);
      }
      const bundle = find(trust, 'Bundle');
      const trustVolume = pod.volumes.find((v: { name: string }) => v.name === 'trust').configMap;
      expect(trustVolume.name).toBe(bundle.metadata.name);
      expect(trustVolume.items[0].key).toBe(bundle.spec.target.configMap.key);
      const namespace = find(objects, 'Namespace');
      expect(namespace.metadata.labels).toMatchObject(
        bundle.spec.target.namespaceSelector.matchLabels,
      );
      expect(
        objects
          .filter((o) => o.kind !== 'Namespace')
          .every((o) => o.metadata.namespace === namespace.metadata.name),
      ).toBe(true);
    });

    it('probes liveness and readiness on the management port, runs non-root on a read-only root filesystem, with a memory limit', () => {
      const ports = Object.fromEntries(
        container.ports.map((p: { name: string; containerPort: number }) => [
          p.name,
          p.containerPort,
        ]),
      );
      expect(String(ports.https)).toBe(env.PORT);
      expect(String(ports.management)).toBe(env.MANAGEMENT_PORT);
      // Liveness never depends on certificates; readiness and start-up do.
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'management' });
      for (const probe of ['readinessProbe', 'startupProbe']) {
        expect(container[probe].httpGet).toEqual({ path: '/health/ready', port: 'management' });
      }
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.resources.limits.memory).toBe('512Mi');
      // preStop (5 s) + the app's drain (at most 10 s) fit in the grace period.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
        container.lifecycle.preStop.sleep.seconds + 10,
      );
      expect(deployment.spec.replicas).toBe(3);
      expect(find(objects, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(3);
    });

    it('holds access rules the app accepts', () => {
      const access = find(objects, 'ConfigMap', `${NAME}-access`);
      expect(() => parseAccessFile(access.data?.['access.json'] ?? '')).not.toThrow();
    });
  });

  it('gateway: the gateway verifies callers and the app against the bundle, and the app trusts the gateway by its certificate', () => {
    const objects = rendered['overlays/gateway'];
    const bundle = find(trust, 'Bundle').metadata.name;
    const gateway = find(objects, 'Gateway');
    expect(gateway.spec.tls.frontend.default.validation).toMatchObject({
      mode: 'AllowValidOnly',
      caCertificateRefs: [{ kind: 'ConfigMap', name: bundle }],
    });
    const gatewayClient = find(objects, 'Certificate', `${NAME}-gateway-client`);
    expect(gateway.spec.tls.backend.clientCertificateRef.name).toBe(gatewayClient.spec.secretName);
    const env =
      find(
        objects,
        'ConfigMap',
        find(objects, 'Deployment').spec.template.spec.containers[0].envFrom[0].configMapRef.name,
      ).data ?? {};
    expect(env.MTLS_TRUSTED_PROXY_IDENTITIES).toBe(gatewayClient.spec.uris[0]);
    expect(env.MTLS_PROXY_PRESET).toBe('envoy');
    const backendTls = find(objects, 'BackendTLSPolicy');
    expect(find(objects, 'Certificate', `${NAME}-server`).spec.dnsNames).toContain(
      backendTls.spec.validation.hostname,
    );
    expect(backendTls.spec.validation.caCertificateRefs[0].name).toBe(bundle);
    const xfcc = find(objects, 'ClientTrafficPolicy').spec.headers.xForwardedClientCert;
    expect(xfcc).toEqual({ mode: 'SanitizeSet', certDetailsToAdd: ['Cert', 'Chain'] });
    const route = find(objects, 'HTTPRoute');
    const service = find(objects, 'Service');
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toContain(
      route.spec.rules[0].backendRefs[0].port,
    );
  });
});
