package io.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.config.AlertOutput;
import io.vigil.config.InputConfig;
import io.vigil.config.VigilConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Checks deploy/cloudformation/vigil.yaml without AWS: references resolve, the application is
 * configured as Vigil needs, its property groups are a valid Vigil configuration naming only this
 * template's resources, the role is least privilege, every failure mode has an alarm, and the
 * dashboard is valid JSON. The template uses only long-form intrinsics, so it parses as plain YAML.
 */
class CloudFormationTemplateTest {
    static final Path TEMPLATE = Paths.get("../deploy/cloudformation/vigil.yaml");
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    static final Set<String> PSEUDO = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    /** Metrics Vigil itself exports (the dashboard shows each; some have alarms). */
    static final List<String> VIGIL_METRICS = List.of("recordsRead", "recordsInvalid", "recordsLate",
            "invalidRecordRatio", "alertsFired", "deliveryFailures", "pendingDeliveries", "deliveriesAbandoned", "ruleEvaluationLagMs");
    /** Managed Flink's own metrics the dashboard must show. */
    static final List<String> SERVICE_METRICS = List.of("uptime", "lastCheckpointDuration", "lastCheckpointSize",
            "numberOfFailedCheckpoints", "millisBehindLatest", "cpuUtilization", "heapMemoryUtilization");
    /** Services whose statements in the role must name this template's resources only. */
    static final Set<String> SCOPED_SERVICES = Set.of("kinesis", "sns", "secretsmanager", "s3", "glue", "kms");
    static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]*)}");

    static JsonNode template;

    @BeforeAll
    static void load() throws IOException {
        template = new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
    }

    // ------------------------------------------------------------------------------------- references

    @Test
    void everyRefGetAttSubAndConditionNamesSomethingDeclared() {
        Set<String> params = names(template.path("Parameters"));
        Set<String> resources = names(template.path("Resources"));
        Set<String> conditions = names(template.path("Conditions"));
        List<String> problems = new ArrayList<>();
        walk(template, node -> {
            if (!node.isObject()) {
                return;
            }
            JsonNode ref = node.get("Ref");
            if (ref != null && node.size() == 1) {
                String t = ref.asText();
                if (!params.contains(t) && !resources.contains(t) && !PSEUDO.contains(t)) {
                    problems.add("Ref " + t);
                }
            }
            JsonNode getAtt = node.get("Fn::GetAtt");
            if (getAtt != null) {
                String res = getAtt.isArray() ? getAtt.path(0).asText() : getAtt.asText().split("\\.")[0];
                if (!resources.contains(res)) {
                    problems.add("Fn::GetAtt " + res);
                }
            }
            JsonNode sub = node.get("Fn::Sub");
            if (sub != null) {
                String text = sub.isArray() ? sub.path(0).asText() : sub.asText();
                Set<String> local = sub.isArray() ? names(sub.path(1)) : Set.of();
                for (String var : subVariables(text)) {
                    String head = var.contains(".") ? var.substring(0, var.indexOf('.')) : var;
                    boolean ok = var.contains(".") ? resources.contains(head)
                            : params.contains(var) || resources.contains(var) || PSEUDO.contains(var) || local.contains(var);
                    if (!ok) {
                        problems.add("Fn::Sub ${" + var + "}");
                    }
                }
            }
            JsonNode cond = node.get("Condition");
            if (cond != null && cond.isTextual() && !conditions.contains(cond.asText())) {
                problems.add("Condition " + cond.asText());
            }
            JsonNode fnIf = node.get("Fn::If");
            if (fnIf != null && !conditions.contains(fnIf.path(0).asText())) {
                problems.add("Fn::If " + fnIf.path(0).asText());
            }
            JsonNode dependsOn = node.get("DependsOn");
            if (dependsOn != null) {
                for (JsonNode d : dependsOn.isArray() ? dependsOn : JsonNodeFactory.instance.arrayNode().add(dependsOn)) {
                    if (!resources.contains(d.asText())) {
                        problems.add("DependsOn " + d.asText());
                    }
                }
            }
        });
        assertThat(resources).isNotEmpty();
        assertThat(problems).as("undeclared names").isEmpty();
    }

    @Test
    void onlyLongFormIntrinsicsAreUsed() throws IOException {
        // A plain YAML parser reads "!Ref Bucket" as the string "Bucket": a short tag would slip past
        // every other check as a literal, so none may appear.
        List<String> tagged = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(TEMPLATE)) {
            for (Event e : new Yaml().parse(in)) {
                String tag = e instanceof ScalarEvent ? ((ScalarEvent) e).getTag()
                        : e instanceof CollectionStartEvent ? ((CollectionStartEvent) e).getTag() : null;
                if (tag != null) {
                    tagged.add(tag + " at line " + (e.getStartMark().getLine() + 1));
                }
            }
        }
        assertThat(tagged).isEmpty();
    }

    // ------------------------------------------------------------------------------------- application

    @Test
    void theApplicationRunsFlink120WithSnapshotsCheckpointingLoggingAndCodeFromTheTemplatesBucket() {
        String appId = onlyResourceOfType("AWS::KinesisAnalyticsV2::Application");
        JsonNode app = resource(appId).path("Properties");
        assertThat(app.path("RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
        JsonNode conf = app.path("ApplicationConfiguration");
        assertThat(conf.at("/ApplicationSnapshotConfiguration/SnapshotsEnabled").asBoolean()).isTrue();
        JsonNode checkpoints = conf.at("/FlinkApplicationConfiguration/CheckpointConfiguration");
        assertThat(checkpoints.path("ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(checkpoints.path("CheckpointingEnabled").asBoolean()).isTrue();
        assertThat(refs(checkpoints.path("CheckpointInterval"))).containsExactly("CheckpointIntervalMs");
        assertThat(conf.at("/FlinkApplicationConfiguration/ParallelismConfiguration/ConfigurationType").asText())
                .isEqualTo("CUSTOM");

        JsonNode code = conf.path("ApplicationCodeConfiguration");
        assertThat(code.path("CodeContentType").asText()).isEqualTo("ZIPFILE");
        JsonNode bucketArn = code.at("/CodeContent/S3ContentLocation/BucketARN");
        assertThat(bucketArn.isObject()).as("the code bucket is a reference, not a literal").isTrue();
        assertThat(refs(bucketArn)).hasSize(1).allSatisfy(id -> assertThat(typeOf(id)).isEqualTo("AWS::S3::Bucket"));
        assertThat(refs(app.path("ServiceExecutionRole"))).allSatisfy(id -> assertThat(typeOf(id)).isEqualTo("AWS::IAM::Role"));

        List<String> logging = resourcesOfType("AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption");
        assertThat(logging).as("CloudWatch logging attached").hasSize(1);
        JsonNode option = resource(logging.get(0)).path("Properties");
        assertThat(refs(option.path("ApplicationName"))).containsExactly(appId);
        Set<String> logTargets = refs(option.at("/CloudWatchLoggingOption/LogStreamARN"));
        assertThat(logTargets.stream().map(CloudFormationTemplateTest::typeOf).collect(Collectors.toSet()))
                .contains("AWS::Logs::LogGroup", "AWS::Logs::LogStream");
    }

    // ------------------------------------------------------------------------------------- property groups

    @Test
    void thePropertyGroupsAreAValidVigilConfigurationWithAndWithoutSlack() {
        for (boolean slack : new boolean[] {true, false}) {
            Map<String, Properties> groups = propertyGroups(slack);
            assertThat(groups.get("vigil").getProperty("watchdog.interval")).isEqualTo("5m");
            // Governed by the service's ParallelismConfiguration and CheckpointConfiguration on Managed Flink.
            assertThat(groups.get("vigil").stringPropertyNames()).doesNotContain("parallelism", "checkpoint.interval");

            VigilConfig config = VigilConfig.from(groups);

            assertThat(config.inputs).extracting(i -> i.name).containsExactly("auth", "commerce", "lineage", "metrics");
            assertThat(config.inputs).allSatisfy(i -> {
                assertThat(i.type).isEqualTo(InputConfig.Type.KINESIS);
                assertThat(i.kinesis.streamArn).startsWith("arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/");
                assertThat(i.kinesis.initialPosition).isEqualTo("LATEST");
            });
            assertThat(config.inputs).extracting(i -> i.format.id())
                    .containsExactly("auth-json", "commerce-json", "openlineage", "metrics");
            assertThat(config.tables.type()).isEqualTo("glue");
            assertThat(config.tables.warehouse()).matches("s3://[a-z0-9.-]+/warehouse");
            assertThat(config.tables.namespace()).isEqualTo("vigil");
            assertThat(config.alertOutputs).extracting(o -> o.type)
                    .containsExactlyInAnyOrderElementsOf(slack
                            ? List.of(AlertOutput.Type.SNS, AlertOutput.Type.SLACK) : List.of(AlertOutput.Type.SNS));
            assertThat(config.delivery).isNotNull();
        }
        Map<String, Properties> withSlack = propertyGroups(true);
        assertThat(withSlack.get("alerts.slack").getProperty("webhook"))
                .matches("secretsmanager:arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:[^#]+#url");
        assertThat(withSlack.get("alerts.slack").getProperty("severities")).isEqualTo("critical,warning");
        assertThat(propertyGroups(false)).doesNotContainKey("alerts.slack");
    }

    @Test
    void thePropertyGroupsNameOnlyResourcesOfThisTemplate() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("stream.arn", "AWS::Kinesis::Stream");
        expected.put("topic", "AWS::SNS::Topic");
        expected.put("webhook", "AWS::SecretsManager::Secret");
        expected.put("warehouse", "AWS::S3::Bucket");
        expected.put("namespace", "AWS::Glue::Database");
        List<String> problems = new ArrayList<>();
        Set<String> streamsNamed = new TreeSet<>();
        Set<String> topicsNamed = new TreeSet<>();
        for (JsonNode group : rawPropertyGroups()) {
            String id = group.path("PropertyGroupId").asText();
            Iterator<Map.Entry<String, JsonNode>> it = group.path("PropertyMap").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> kv = it.next();
                String key = kv.getKey();
                JsonNode value = kv.getValue();
                String where = id + "/" + key;
                // Any literal naming an AWS resource is a mistake: it would not follow the stack.
                if (value.isTextual() && value.asText().matches("(?s)(arn:|s3://|secretsmanager:).*")) {
                    problems.add(where + " is the literal " + value.asText());
                }
                String kind = key.startsWith("topic") ? "topic" : key;
                String type = expected.get(kind);
                if (type == null) {
                    continue;
                }
                Set<String> ofType = refs(value).stream().filter(r -> type.equals(typeOf(r))).collect(Collectors.toSet());
                if (ofType.isEmpty()) {
                    problems.add(where + " names no " + type + " of this template");
                }
                (kind.equals("topic") ? topicsNamed : kind.equals("stream.arn") ? streamsNamed : new TreeSet<String>())
                        .addAll(ofType);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(streamsNamed).as("every stream is read").containsExactlyInAnyOrderElementsOf(resourcesOfType("AWS::Kinesis::Stream"));
        assertThat(topicsNamed).as("every topic is published to").containsExactlyInAnyOrderElementsOf(resourcesOfType("AWS::SNS::Topic"));
    }

    // ------------------------------------------------------------------------------------- IAM

    @Test
    void noIamStatementAllowsAWildcardActionOnAWildcardResource() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : iamStatements().entrySet()) {
            JsonNode st = s.getValue();
            if (!"Allow".equals(st.path("Effect").asText())) {
                continue;
            }
            if (st.has("NotAction") || st.has("NotResource")) {
                problems.add(s.getKey() + " allows NotAction/NotResource");
            }
            boolean anyResource = strings(st.path("Resource")).contains("*");
            List<String> wildcardActions = strings(st.path("Action")).stream()
                    .filter(a -> a.equals("*") || a.endsWith(":*")).collect(Collectors.toList());
            if (anyResource && !wildcardActions.isEmpty()) {
                problems.add(s.getKey() + " allows " + wildcardActions + " on *");
            }
        }
        assertThat(iamStatements()).as("the role has statements").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void everyIamStatementOnAllResourcesHasACondition() {
        List<String> onAll = iamStatements().entrySet().stream()
                .filter(s -> strings(s.getValue().path("Resource")).contains("*"))
                .map(Map.Entry::getKey).collect(Collectors.toList());
        List<String> unconditioned = onAll.stream()
                .filter(k -> !iamStatements().get(k).path("Condition").isObject()).collect(Collectors.toList());
        assertThat(unconditioned).as("statements on Resource * (of " + onAll + ") without a Condition").isEmpty();
    }

    @Test
    void cloudWatchMetricsAreReadOnlyWhenQueriesAreGivenAndWithGetMetricDataAlone() {
        String appId = onlyResourceOfType("AWS::KinesisAnalyticsV2::Application");
        JsonNode raw = resource(appId).at("/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups");
        String queries = "iterator_age=AWS/Kinesis GetRecords.IteratorAgeMilliseconds Maximum StreamName=vigil-auth";
        Evaluator with = new Evaluator(Map.of("SlackConfigured", false), Map.of("CloudWatchQueries", queries));
        assertThat(with.condition("HasCloudWatchInput")).isTrue();
        assertThat(new Evaluator(Map.of()).condition("HasCloudWatchInput")).as("off by default").isFalse();
        Map<String, Properties> groups = new TreeMap<>();
        for (JsonNode g : with.eval(raw)) {
            Properties p = new Properties();
            g.path("PropertyMap").fields().forEachRemaining(kv -> p.setProperty(kv.getKey(), kv.getValue().asText()));
            groups.put(g.path("PropertyGroupId").asText(), p);
        }
        VigilConfig config = VigilConfig.from(groups);
        InputConfig cw = config.inputs.stream().filter(i -> i.name.equals("cloudwatch")).findFirst().orElseThrow();
        assertThat(cw.type).isEqualTo(InputConfig.Type.CLOUDWATCH);
        assertThat(cw.poll.region).isEqualTo(REGION);
        assertThat(cw.poll.queries).containsOnlyKeys("iterator_age");

        // the one statement, in a policy that exists only with the input
        List<String> policies = resourcesOfType("AWS::IAM::Policy");
        List<String> granting = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : iamStatements().entrySet()) {
            if (strings(s.getValue().path("Action")).stream().anyMatch(a -> a.startsWith("cloudwatch:"))) {
                granting.add(s.getKey());
                assertThat(strings(s.getValue().path("Action"))).containsExactly("cloudwatch:GetMetricData");
                assertThat(strings(s.getValue().path("Resource"))).containsExactly("*");
            }
        }
        assertThat(granting).hasSize(1);
        String policy = granting.get(0).substring(0, granting.get(0).indexOf('/'));
        assertThat(policies).contains(policy);
        assertThat(resource(policy).path("Condition").asText()).isEqualTo("HasCloudWatchInput");
        assertThat(refs(resource(policy).at("/Properties/Roles"))).as("the Managed Flink application's role")
                .containsExactly("ServiceRole");
    }

    @Test
    void theJobReadsItsRulesAndSilencesFromTheControlPrefixAndNothingMore() {
        VigilConfig config = VigilConfig.from(propertyGroups(false));
        assertThat(config.rulesFile).matches("s3://[^/]+/control/rules\\.yaml");
        assertThat(config.controlPath).matches("s3://[^/]+/control/silences/");
        List<String> onControl = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : iamStatements().entrySet()) {
            JsonNode st = s.getValue();
            if (st.path("Resource").toString().contains("/control/") || st.path("Condition").toString().contains("control/")) {
                onControl.add(s.getKey());
                if (strings(st.path("Action")).contains("s3:ListBucket")) {
                    assertThat(strings(st.path("Action"))).containsExactly("s3:ListBucket");
                    assertThat(strings(st.at("/Condition/StringLike/s3:prefix"))).containsExactlyInAnyOrder("control/", "control/*");
                } else {
                    // read only: people on call write with their own credentials
                    assertThat(strings(st.path("Action"))).containsExactly("s3:GetObject");
                    assertThat(st.path("Resource").toString()).isEqualTo("[{\"Fn::Sub\":\"${Bucket.Arn}/control/*\"}]");
                }
            }
        }
        assertThat(onControl).hasSize(2);
        JsonNode outputs = template.path("Outputs");
        assertThat(outputs.at("/ControlPrefix/Value").toString()).contains("/control/silences/");
        assertThat(outputs.at("/RulesObject/Value").toString()).contains("/control/rules.yaml");
    }

    @Test
    void theRolesDataStatementsNameOnlyResourcesOfThisTemplate() {
        // The Glue catalog is the account's, not a resource of the stack; Glue requires it beside the
        // database and its tables, which are the template's.
        String catalog = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog";
        List<String> problems = new ArrayList<>();
        Set<String> servicesSeen = new TreeSet<>();
        for (Map.Entry<String, JsonNode> s : iamStatements().entrySet()) {
            JsonNode st = s.getValue();
            Set<String> services = strings(st.path("Action")).stream()
                    .map(a -> a.substring(0, a.indexOf(':')).toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            services.retainAll(SCOPED_SERVICES);
            if (services.isEmpty() || !"Allow".equals(st.path("Effect").asText())) {
                continue;
            }
            servicesSeen.addAll(services);
            JsonNode resources = st.path("Resource");
            for (JsonNode r : resources.isArray() ? resources : JsonNodeFactory.instance.arrayNode().add(resources)) {
                if (r.isTextual()) {
                    problems.add(s.getKey() + " names the literal " + r.asText());
                } else if (catalog.equals(r.path("Fn::Sub").asText())) {
                    continue;
                } else if (refs(r).stream().noneMatch(id -> typeOf(id) != null)) {
                    problems.add(s.getKey() + " names no resource of the template: " + r);
                }
            }
        }
        assertThat(servicesSeen).containsAll(Set.of("kinesis", "sns", "secretsmanager", "s3", "glue"));
        assertThat(problems).isEmpty();
    }

    // ------------------------------------------------------------------------------------- HTTPS way in

    @Test
    void theHttpEndpointIsOffByDefaultAndCanOnlyPutIntoTheLineageStream() {
        JsonNode param = template.at("/Parameters/HttpEndpoint");
        assertThat(param.path("Default").asText()).isEqualTo("none");
        assertThat(strings(param.path("AllowedValues"))).containsExactly("none", "iam", "api-key");
        // every API Gateway resource and the role it assumes exist only when the parameter asks for them
        List<String> gateway = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().startsWith("AWS::ApiGateway::") || r.getKey().equals("IngestRole")) {
                gateway.add(r.getKey());
                assertThat(r.getValue().path("Condition").asText()).as(r.getKey())
                        .isIn("HasHttpEndpoint", "HttpEndpointApiKey");
            }
        });
        assertThat(gateway).contains("IngestApi", "IngestLineagePost", "IngestDeployment", "IngestRole", "IngestApiKey");

        // the role: assumed by API Gateway only, PutRecord on the lineage stream only
        JsonNode role = resource("IngestRole").path("Properties");
        assertThat(role.at("/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText())
                .isEqualTo("apigateway.amazonaws.com");
        List<JsonNode> statements = iamStatements().entrySet().stream().filter(e -> e.getKey().startsWith("IngestRole/"))
                .map(Map.Entry::getValue).collect(Collectors.toList());
        assertThat(statements).hasSize(1);
        assertThat(strings(statements.get(0).path("Action"))).containsExactly("kinesis:PutRecord");
        assertThat(refs(statements.get(0).path("Resource"))).containsExactly("LineageStream");

        // the method: POST, auth by the parameter (API key or IAM, never none), into PutRecord with that role
        JsonNode post = resource("IngestLineagePost").path("Properties");
        assertThat(post.path("HttpMethod").asText()).isEqualTo("POST");
        assertThat(post.at("/AuthorizationType/Fn::If/0").asText()).isEqualTo("HttpEndpointApiKey");
        assertThat(strings(post.at("/AuthorizationType/Fn::If"))).containsExactly("HttpEndpointApiKey", "NONE", "AWS_IAM");
        assertThat(post.at("/ApiKeyRequired/Fn::If/1").asBoolean()).isTrue();
        assertThat(post.at("/ApiKeyRequired/Fn::If/2").asBoolean()).isFalse();
        JsonNode integration = post.path("Integration");
        assertThat(integration.path("Type").asText()).isEqualTo("AWS");
        assertThat(integration.at("/Uri/Fn::Sub").asText()).endsWith(":kinesis:action/PutRecord");
        assertThat(refs(integration.path("Credentials"))).containsExactly("IngestRole");
        assertThat(integration.path("PassthroughBehavior").asText()).isEqualTo("NEVER");
        String mapping = integration.at("/RequestTemplates/application~1json/Fn::Sub").asText();
        assertThat(subVariables(mapping)).containsExactly("LineageStream");
        assertThat(mapping).contains("$util.base64Encode($input.body)", "$.run.runId", "$context.requestId");

        // the path is the OpenLineage clients' default endpoint
        assertThat(resource("IngestLineagePath").at("/Properties/PathPart").asText()).isEqualTo("lineage");
        assertThat(resource("IngestV1Path").at("/Properties/PathPart").asText()).isEqualTo("v1");
        assertThat(resource("IngestApiPath").at("/Properties/PathPart").asText()).isEqualTo("api");
        assertThat(template.at("/Outputs/IngestUrl/Value/Fn::Sub").asText()).endsWith("/prod");
        assertThat(resource("IngestDeployment").at("/Properties/StageName").asText()).isEqualTo("prod");
    }

    // ------------------------------------------------------------------------------------- alarms

    @Test
    void thereIsAnAlarmWithAnActionForEveryWayVigilCanFail() {
        String appId = onlyResourceOfType("AWS::KinesisAnalyticsV2::Application");
        String infoTopic = refs(rawPropertyGroup("alerts.pager").at("/PropertyMap/topic.info")).iterator().next();
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        wanted.put("application not running", List.of("uptime", "downtime"));
        wanted.put("failed checkpoints", List.of("numberOfFailedCheckpoints"));
        wanted.put("restarts", List.of("fullRestarts", "numRestarts"));
        wanted.put("Kinesis lag", List.of("millisBehindLatest"));
        wanted.put("invalid record ratio", List.of("invalidRecordRatio"));
        wanted.put("delivery failures", List.of("deliveryFailures"));
        wanted.put("deliveries abandoned", List.of(io.vigil.metrics.VigilMetrics.DELIVERIES_ABANDONED));
        wanted.put("rule evaluation lag", List.of("ruleEvaluationLagMs"));
        wanted.put("watchdog", List.of("NumberOfMessagesPublished"));
        Set<String> vigilOwn = Set.of("invalidRecordRatio", "deliveryFailures", "deliveriesAbandoned", "ruleEvaluationLagMs");

        Map<String, String> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String alarmId : resourcesOfType("AWS::CloudWatch::Alarm")) {
            JsonNode p = resource(alarmId).path("Properties");
            List<JsonNode> metrics = new ArrayList<>();
            if (p.has("MetricName")) {
                metrics.add(p);
            }
            p.path("Metrics").forEach(m -> {
                if (m.at("/MetricStat/Metric").isObject()) {
                    metrics.add(m.at("/MetricStat/Metric"));
                }
            });
            for (JsonNode m : metrics) {
                String name = m.path("MetricName").asText();
                wanted.forEach((what, names) -> {
                    if (names.contains(name)) {
                        found.put(what, alarmId);
                    }
                });
                Map<String, JsonNode> dims = new TreeMap<>();
                m.path("Dimensions").forEach(d -> dims.put(d.path("Name").asText(), d.path("Value")));
                if (m.path("Namespace").asText().equals("AWS/KinesisAnalytics")) {
                    if (!dims.containsKey("Application") || !refs(dims.get("Application")).contains(appId)) {
                        problems.add(alarmId + ": dimension Application is not the application");
                    }
                    if (vigilOwn.contains(name) && dims.size() != 1) {
                        problems.add(alarmId + ": Vigil's own metrics have the Application dimension only, not " + dims.keySet());
                    }
                } else if (name.equals("NumberOfMessagesPublished")) {
                    if (!m.path("Namespace").asText().equals("AWS/SNS")
                            || !refs(dims.getOrDefault("TopicName", MissingNode.getInstance())).equals(Set.of(infoTopic))) {
                        problems.add(alarmId + ": the watchdog watches AWS/SNS of the info topic " + infoTopic);
                    }
                }
            }
            JsonNode actions = p.path("AlarmActions");
            if (actions.size() == 0) {
                problems.add(alarmId + " has no alarm action");
            }
            actions.forEach(a -> {
                if (refs(a).stream().noneMatch(id -> "AWS::SNS::Topic".equals(typeOf(id)))) {
                    problems.add(alarmId + ": action " + a + " is not a topic of this template");
                }
            });
        }
        assertThat(found.keySet()).as("failure modes with an alarm").containsExactlyInAnyOrderElementsOf(wanted.keySet());
        assertThat(problems).isEmpty();

        JsonNode notRunning = resource(found.get("application not running")).path("Properties");
        assertThat(notRunning.path("TreatMissingData").asText()).as("a stopped application reports nothing").isEqualTo("breaching");
        assertThat(notRunning.path("Period").asInt()).isEqualTo(60);
        JsonNode watchdog = resource(found.get("watchdog")).path("Properties");
        assertThat(watchdog.path("TreatMissingData").asText()).isEqualTo("breaching");
        assertThat(watchdog.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(watchdog.path("Period").asInt() * watchdog.path("EvaluationPeriods").asInt()).isEqualTo(900);
        assertThat(refs(watchdog.path("AlarmActions"))).as("the silent topic cannot carry its own alarm").doesNotContain(infoTopic);
        JsonNode abandoned = resource(found.get("deliveries abandoned")).path("Properties");
        assertThat(abandoned.at("/Metrics/1/Expression").asText()).as("a cumulative counter: alarmed on its increase")
                .isEqualTo("DIFF(abandoned)");
        assertThat(abandoned.path("Threshold").asInt()).as("one abandoned alert is one on-call was not told of").isZero();
        assertThat(refs(abandoned.path("AlarmActions"))).as("abandoned alerts page").contains("CriticalTopic");
        assertThat(refs(resource(found.get("invalid record ratio")).at("/Properties/Threshold")))
                .containsExactly("InvalidRecordRatioThreshold");
    }

    // ------------------------------------------------------------------------------------- dashboard

    @Test
    void theDashboardBodyIsJsonWithAWidgetForEveryVigilMetric() throws IOException {
        List<String> dashboards = resourcesOfType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        JsonNode body = resource(dashboards.get(0)).at("/Properties/DashboardBody");
        assertThat(body.has("Fn::Sub")).as("DashboardBody is an Fn::Sub of a JSON string").isTrue();
        String json = new Evaluator(Map.of()).eval(body).asText();
        JsonNode dashboard = new ObjectMapper().readTree(json);
        JsonNode widgets = dashboard.path("widgets");
        assertThat(widgets.isArray() && widgets.size() > 0).isTrue();

        List<String> missing = new ArrayList<>();
        List<String> names = new ArrayList<>(VIGIL_METRICS);
        names.addAll(SERVICE_METRICS);
        for (String metric : names) {
            boolean shown = false;
            for (JsonNode w : widgets) {
                for (JsonNode line : w.at("/properties/metrics")) {
                    for (JsonNode part : line) {
                        shown |= part.isTextual() && part.asText().equals(metric)
                                || part.path("expression").asText().contains("MetricName=\"" + metric + "\"");
                    }
                }
            }
            if (!shown) {
                missing.add(metric);
            }
        }
        assertThat(missing).as("metrics without a widget").isEmpty();
    }

    // ------------------------------------------------------------------------------------- helpers

    /** The application's property groups with every intrinsic resolved (Slack condition forced). */
    static Map<String, Properties> propertyGroups(boolean slack) {
        String appId = onlyResourceOfType("AWS::KinesisAnalyticsV2::Application");
        JsonNode raw = resource(appId).at("/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups");
        JsonNode evaluated = new Evaluator(Map.of("SlackConfigured", slack)).eval(raw);
        Map<String, Properties> groups = new TreeMap<>();
        for (JsonNode g : evaluated) {
            String id = g.path("PropertyGroupId").asText();
            assertThat(groups).as("group " + id + " once").doesNotContainKey(id);
            Properties p = new Properties();
            Iterator<Map.Entry<String, JsonNode>> it = g.path("PropertyMap").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> kv = it.next();
                assertThat(kv.getValue().isTextual()).as(id + "/" + kv.getKey() + " is a string").isTrue();
                p.setProperty(kv.getKey(), kv.getValue().asText());
            }
            groups.put(id, p);
        }
        return groups;
    }

    /** The property groups as written, with an Fn::If group's true branch. */
    static List<JsonNode> rawPropertyGroups() {
        String appId = onlyResourceOfType("AWS::KinesisAnalyticsV2::Application");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode g : resource(appId).at("/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups")) {
            out.add(g.has("Fn::If") ? g.get("Fn::If").get(1) : g);
        }
        return out;
    }

    static JsonNode rawPropertyGroup(String id) {
        return rawPropertyGroups().stream().filter(g -> g.path("PropertyGroupId").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no property group " + id));
    }

    /** Every statement of every IAM role, policy and managed policy, by "resource/policy/Sid or index". */
    static Map<String, JsonNode> iamStatements() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            JsonNode p = r.getValue().path("Properties");
            List<JsonNode> docs = new ArrayList<>();
            if (type.equals("AWS::IAM::Role")) {
                p.path("Policies").forEach(pol -> docs.add(pol.path("PolicyDocument")));
            } else if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")) {
                docs.add(p.path("PolicyDocument"));
            }
            for (JsonNode doc : docs) {
                JsonNode st = doc.path("Statement");
                int i = 0;
                for (JsonNode s : st.isArray() ? st : JsonNodeFactory.instance.arrayNode().add(st)) {
                    out.put(r.getKey() + "/" + s.path("Sid").asText("#" + i), s);
                    i++;
                }
            }
        });
        return out;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            n.forEach(e -> {
                if (e.isTextual()) {
                    out.add(e.asText());
                }
            });
        }
        return out;
    }

    /** Logical ids and parameters a value refers to (Ref, Fn::GetAtt, Fn::Sub variables), pseudo parameters left out. */
    static Set<String> refs(JsonNode value) {
        Set<String> out = new TreeSet<>();
        walk(value, n -> {
            if (!n.isObject()) {
                return;
            }
            if (n.has("Ref") && n.get("Ref").isTextual()) {
                out.add(n.get("Ref").asText());
            }
            JsonNode getAtt = n.get("Fn::GetAtt");
            if (getAtt != null) {
                out.add(getAtt.isArray() ? getAtt.path(0).asText() : getAtt.asText().split("\\.")[0]);
            }
            JsonNode sub = n.get("Fn::Sub");
            if (sub != null) {
                for (String v : subVariables(sub.isArray() ? sub.path(0).asText() : sub.asText())) {
                    out.add(v.contains(".") ? v.substring(0, v.indexOf('.')) : v);
                }
            }
        });
        out.removeAll(PSEUDO);
        return out;
    }

    static List<String> subVariables(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SUB_VAR.matcher(text);
        while (m.find()) {
            if (!m.group(1).startsWith("!")) {
                out.add(m.group(1).trim());
            }
        }
        return out;
    }

    static void walk(JsonNode n, Consumer<JsonNode> visit) {
        visit.accept(n);
        if (n.isContainerNode()) {
            n.forEach(child -> walk(child, visit));
        }
    }

    static Set<String> names(JsonNode obj) {
        Set<String> out = new TreeSet<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static JsonNode resource(String id) {
        return template.path("Resources").path(id);
    }

    /** The resource type of a logical id, or null for a parameter or anything else. */
    static String typeOf(String id) {
        JsonNode r = template.path("Resources").get(id);
        return r == null ? null : r.path("Type").asText();
    }

    static List<String> resourcesOfType(String type) {
        List<String> out = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals(type)) {
                out.add(r.getKey());
            }
        });
        return out;
    }

    static String onlyResourceOfType(String type) {
        List<String> ids = resourcesOfType(type);
        assertThat(ids).as("resources of type " + type).hasSize(1);
        return ids.get(0);
    }

    /**
     * A small evaluator of the intrinsics the template uses. Parameters take their defaults;
     * resources resolve to plausible values built from their logical ids in region eu-west-1,
     * account 123456789012; conditions can be forced. An intrinsic it does not know fails the test.
     */
    static final class Evaluator {
        final Map<String, Boolean> forced;
        /** Parameter values given instead of the defaults. */
        final Map<String, String> parameters;

        Evaluator(Map<String, Boolean> forcedConditions) {
            this(forcedConditions, Map.of());
        }

        Evaluator(Map<String, Boolean> forcedConditions, Map<String, String> parameters) {
            this.forced = forcedConditions;
            this.parameters = parameters;
        }

        JsonNode eval(JsonNode n) {
            if (n.isArray()) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                n.forEach(e -> {
                    JsonNode v = eval(e);
                    if (!v.isMissingNode()) {
                        out.add(v);
                    }
                });
                return out;
            }
            if (!n.isObject()) {
                return n;
            }
            if (n.size() == 1) {
                String key = n.fieldNames().next();
                JsonNode arg = n.get(key);
                switch (key) {
                    case "Ref":
                        return ref(arg.asText());
                    case "Fn::GetAtt":
                        return arg.isArray() ? getAtt(arg.get(0).asText(), arg.get(1).asText())
                                : getAtt(arg.asText().split("\\.")[0], arg.asText().split("\\.", 2)[1]);
                    case "Fn::Sub":
                        return TextNode.valueOf(sub(arg));
                    case "Fn::Join": {
                        List<String> parts = new ArrayList<>();
                        eval(arg.get(1)).forEach(p -> parts.add(p.asText()));
                        return TextNode.valueOf(String.join(arg.get(0).asText(), parts));
                    }
                    case "Fn::If":
                        return eval(condition(arg.get(0).asText()) ? arg.get(1) : arg.get(2));
                    default:
                        if (key.startsWith("Fn::")) {
                            throw new AssertionError("the test's evaluator does not know " + key);
                        }
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            n.fields().forEachRemaining(kv -> {
                JsonNode v = eval(kv.getValue());
                if (!v.isMissingNode()) {
                    out.set(kv.getKey(), v);
                }
            });
            return out;
        }

        boolean condition(String name) {
            if (forced.containsKey(name)) {
                return forced.get(name);
            }
            return test(template.path("Conditions").path(name));
        }

        boolean test(JsonNode c) {
            if (c.has("Condition")) {
                return condition(c.get("Condition").asText());
            }
            if (c.has("Fn::Equals")) {
                return eval(c.get("Fn::Equals").get(0)).asText().equals(eval(c.get("Fn::Equals").get(1)).asText());
            }
            if (c.has("Fn::Not")) {
                return !test(c.get("Fn::Not").get(0));
            }
            if (c.has("Fn::And")) {
                boolean all = true;
                for (JsonNode e : c.get("Fn::And")) {
                    all &= test(e);
                }
                return all;
            }
            if (c.has("Fn::Or")) {
                boolean any = false;
                for (JsonNode e : c.get("Fn::Or")) {
                    any |= test(e);
                }
                return any;
            }
            throw new AssertionError("unknown condition " + c);
        }

        String sub(JsonNode arg) {
            String text = arg.isArray() ? arg.get(0).asText() : arg.asText();
            Map<String, String> local = new TreeMap<>();
            if (arg.isArray()) {
                arg.get(1).fields().forEachRemaining(kv -> local.put(kv.getKey(), eval(kv.getValue()).asText()));
            }
            Matcher m = SUB_VAR.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String var = m.group(1).trim();
                String value;
                if (var.startsWith("!")) {
                    value = "${" + var.substring(1) + "}";
                } else if (local.containsKey(var)) {
                    value = local.get(var);
                } else if (var.contains(".") && !PSEUDO.contains(var)) {
                    value = getAtt(var.substring(0, var.indexOf('.')), var.substring(var.indexOf('.') + 1)).asText();
                } else {
                    value = ref(var).asText();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        JsonNode ref(String name) {
            switch (name) {
                case "AWS::Region":
                    return TextNode.valueOf(REGION);
                case "AWS::AccountId":
                    return TextNode.valueOf(ACCOUNT);
                case "AWS::Partition":
                    return TextNode.valueOf("aws");
                case "AWS::URLSuffix":
                    return TextNode.valueOf("amazonaws.com");
                case "AWS::StackName":
                    return TextNode.valueOf("vigil-test");
                case "AWS::StackId":
                    return TextNode.valueOf("arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/vigil-test/1");
                case "AWS::NoValue":
                    return MissingNode.getInstance();
                default:
            }
            JsonNode param = template.path("Parameters").get(name);
            if (param != null && parameters.containsKey(name)) {
                return TextNode.valueOf(parameters.get(name));
            }
            if (param != null) {
                assertThat(param.has("Default")).as("parameter " + name + " has a default").isTrue();
                return TextNode.valueOf(param.get("Default").asText());
            }
            JsonNode res = template.path("Resources").get(name);
            if (res == null) {
                throw new AssertionError("Ref to undeclared " + name);
            }
            JsonNode p = res.path("Properties");
            switch (res.path("Type").asText()) {
                case "AWS::S3::Bucket":
                    return TextNode.valueOf(name.toLowerCase(Locale.ROOT) + "-1a2b3c4d");
                case "AWS::SNS::Topic":
                    return TextNode.valueOf(arn("sns", name));
                case "AWS::SecretsManager::Secret":
                    return TextNode.valueOf(arn("secretsmanager", "secret:" + name + "-AbCdEf"));
                case "AWS::KMS::Key":
                    return TextNode.valueOf("1234abcd-12ab-34cd-56ef-1234567890ab");
                case "AWS::Glue::Database":
                    return eval(p.at("/DatabaseInput/Name"));
                case "AWS::KinesisAnalyticsV2::Application":
                    return p.has("ApplicationName") ? eval(p.get("ApplicationName")) : TextNode.valueOf(name);
                case "AWS::Logs::LogGroup":
                    return p.has("LogGroupName") ? eval(p.get("LogGroupName")) : TextNode.valueOf(name);
                case "AWS::Logs::LogStream":
                    return p.has("LogStreamName") ? eval(p.get("LogStreamName")) : TextNode.valueOf(name);
                default:
                    return TextNode.valueOf(name);
            }
        }

        JsonNode getAtt(String resource, String attribute) {
            JsonNode res = template.path("Resources").get(resource);
            if (res == null) {
                throw new AssertionError("Fn::GetAtt of undeclared " + resource);
            }
            String type = res.path("Type").asText();
            if (attribute.equals("TopicName") && type.equals("AWS::SNS::Topic")) {
                return TextNode.valueOf(resource);
            }
            if (attribute.equals("TopicArn") && type.equals("AWS::SNS::Topic")) {
                return ref(resource);
            }
            if (!attribute.equals("Arn")) {
                return TextNode.valueOf(resource + "." + attribute);
            }
            switch (type) {
                case "AWS::Kinesis::Stream":
                    return TextNode.valueOf(arn("kinesis", "stream/" + resource));
                case "AWS::S3::Bucket":
                    return TextNode.valueOf("arn:aws:s3:::" + ref(resource).asText());
                case "AWS::IAM::Role":
                    return TextNode.valueOf("arn:aws:iam::" + ACCOUNT + ":role/" + resource);
                case "AWS::KMS::Key":
                    return TextNode.valueOf(arn("kms", "key/" + ref(resource).asText()));
                case "AWS::CloudWatch::Alarm":
                    return TextNode.valueOf(arn("cloudwatch", "alarm:" + resource));
                case "AWS::Logs::LogGroup":
                    return TextNode.valueOf(arn("logs", "log-group:" + ref(resource).asText() + ":*"));
                default:
                    String service = type.split("::")[1].toLowerCase(Locale.ROOT);
                    return TextNode.valueOf(arn(service, resource));
            }
        }

        static String arn(String service, String rest) {
            return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + rest;
        }
    }

    @Test
    void theEvaluatorResolvesWhatTheChecksRelyOn() {
        // Guards the checks above: if the evaluator returned the raw nodes, they would prove nothing.
        Evaluator e = new Evaluator(Map.of());
        assertThat(e.sub(TextNode.valueOf("s3://${Bucket}/x/${AWS::Region}/${!Literal}")))
                .isEqualTo("s3://bucket-1a2b3c4d/x/eu-west-1/${Literal}");
        assertThat(e.condition("SlackConfigured")).isFalse();
        assertThat(new Evaluator(Map.of("SlackConfigured", true)).condition("SlackConfigured")).isTrue();
        assertThat(e.getAtt("AuthStream", "Arn").asText()).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/AuthStream");
        assertThat(e.eval(JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("Ref", "AWS::NoValue"))))
                .isEmpty();
    }
}
