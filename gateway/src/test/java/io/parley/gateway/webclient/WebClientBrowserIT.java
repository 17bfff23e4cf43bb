package io.parley.gateway.webclient;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.parley.gateway.security.SecurityProperties;
import io.parley.gateway.security.TokenService;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped web client, driven like its users in Debian's headless Chromium: each user in a browser of their own
 * (own profile, own storage), against the real platform. The browsers are started once for the class and reset
 * between tests, which keeps the class fast. Screenshots of the main states go to target/screenshots.
 */
class WebClientBrowserIT extends IntegrationTest {

    @Autowired
    TokenService tokenService;
    @Autowired
    SecurityProperties security;

    private static Browser first;
    private static Browser second;

    private Browser ann;
    private Browser ben;

    @BeforeEach
    void browsers() {
        if (first == null) {
            first = new Browser(port);
            second = new Browser(port);
        }
        ann = first;
        ben = second;
        ann.reset();
        ben.reset();
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(ann.scriptErrors()).as("script errors in Ann's page").isEmpty();
        assertThat(ben.scriptErrors()).as("script errors in Ben's page").isEmpty();
    }

    @AfterAll
    static void closeBrowsers() {
        if (first != null) first.close();
        if (second != null) second.close();
        first = null;
        second = null;
    }

    private record Account(String id, String handle, String name) {
    }

    private Account account(String name) {
        String handle = Api.uniqueHandle(name.toLowerCase().replace(" ", ""));
        JsonNode created = api.post("/api/accounts", Map.of("handle", handle, "displayName", name, "password", Api.PASSWORD), null).json();
        return new Account(created.get("id").asText(), handle, name);
    }

    private User tokens(Account a) {
        return api.signIn(a.id(), a.handle(), a.name(), Api.PASSWORD);
    }

    @Test
    void directChatNamesTicksReloadAndExpiredToken() throws Exception {
        String annHandle = Api.uniqueHandle("ann");
        Account benAccount = account("Ben Brown");
        ann.signUp(annHandle, "Ann Archer", Api.PASSWORD);
        assertThat(ann.text(By.id("me"))).isEqualTo("Ann Archer");
        assertThat(ann.unlabelled()).as("controls without a name, signed in").isEmpty();
        ann.screenshot("01-inbox-empty");

        // starting a direct chat works at once, titled by the other person's name: the people finder offers Ben
        // from the start of his handle, the keyboard picks him
        ann.click(By.id("new-chat-button"));
        ann.type(By.id("peer-handle"), benAccount.handle().substring(0, 12));
        ann.until(d -> !d.findElements(By.cssSelector("#peer-handle-suggestions li.suggestion.current[data-handle='" + benAccount.handle() + "']")).isEmpty());
        assertThat(ann.text(By.id("peer-handle-suggestions"))).contains("Ben Brown").contains("@" + benAccount.handle());
        assertThat(ann.unlabelled()).as("controls without a name, new chat").isEmpty();
        ann.driver.findElement(By.id("peer-handle")).sendKeys(Keys.ENTER);
        ann.until(d -> "Ben Brown".equals(ann.text(By.id("conversation-title"))));
        assertThat(ann.unlabelled()).as("controls without a name, a chat open").isEmpty();
        ann.send("Hello Ben");
        assertThat(ann.message("Hello Ben").getAttribute("class")).contains("mine");

        // Ben signs in elsewhere: the chat is titled with Ann's name, the preview and badge are there
        ben.signIn(benAccount.handle(), Api.PASSWORD);
        By annRow = By.xpath(Browser.convXpath("Ann Archer"));
        ben.until(d -> !d.findElements(annRow).isEmpty());
        assertThat(ben.text(annRow)).contains("Hello Ben").contains("1");
        // messages fetched at sign-in are acknowledged as delivered: Ann's tick turns double
        ann.until(d -> ann.messageHas("Hello Ben", ".ticks.delivered, .ticks.read"));
        ben.openChat("Ann Archer");
        ann.until(d -> ann.messageHas("Hello Ben", ".ticks.read"));

        // typing shows the typist's name
        ben.driver.findElement(By.id("composer-text")).sendKeys("I am typ");
        ann.until(d -> "Ben Brown is typing…".equals(ann.text(By.id("presence"))));
        ben.click(By.id("send-button"));
        ann.message("I am typ");
        ben.screenshot("02-direct-chat");

        // reply, react, edit, delete: each seen on the other side
        ben.messageAction("Hello Ben", "[data-action='reply']");
        assertThat(ben.text(By.id("reply-banner"))).contains("Hello Ben");
        ben.send("Replying to you");
        ann.until(d -> ann.messageHas("Replying to you", ".quote"));
        assertThat(ann.message("Replying to you").findElement(By.cssSelector(".quote")).getText()).contains("You").contains("Hello Ben");

        ben.messageAction("Hello Ben", "[data-emoji='👍']");
        ann.until(d -> ann.messageHas("Hello Ben", ".reaction") && ann.message("Hello Ben").getText().contains("👍"));

        ben.messageAction("I am typ", "[data-action='edit']");
        ben.type(By.id("composer-text"), "I am typing, fixed");
        ben.click(By.id("send-button"));
        ann.until(d -> ann.messageHas("I am typing, fixed", ".edited"));

        ben.messageAction("Replying to you", "[data-action='delete']");
        ben.driver.switchTo().alert().accept();
        ann.until(d -> d.findElements(Browser.messageBy("Replying to you")).isEmpty()
                && !d.findElements(By.cssSelector(".text.deleted")).isEmpty());
        ann.screenshot("03-edit-react-reply-delete");

        // a reload keeps the session, the names and the ticks
        ann.reload();
        ann.waitOnline();
        assertThat(ann.text(By.id("me"))).isEqualTo("Ann Archer");
        ann.openChat("Ben Brown");
        ann.until(d -> !d.findElements(By.cssSelector("li.msg.mine .ticks.read")).isEmpty());

        // access tokens live 6 seconds from here on (the platform's TokenService, for this test only)
        Account calAccount = account("Cal Clark");
        User cal = tokens(calAccount);
        String annId = api.get("/api/users/by-handle/" + annHandle, cal.accessToken()).json().get("id").asText();
        String calChat = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", annId), cal.accessToken()).json().get("id").asText();
        sendAs(cal, calChat, "Hello from Cal");
        SecurityProperties shortLived = new SecurityProperties(Duration.ofSeconds(6), security.refreshTokenTtl(),
                security.jwtSecret(), security.adminHandle(), security.adminPassword());
        ReflectionTestUtils.setField(tokenService, "properties", shortLived);
        try {
            // an access token the server refuses (as an expired one): the client refreshes and carries on
            ann.js("const s = JSON.parse(localStorage.getItem('parley.session')); s.accessToken = 'expired.' + s.accessToken;"
                    + " s.expiresAt = Date.now() + 600000; localStorage.setItem('parley.session', JSON.stringify(s));");
            ann.reload();
            ann.waitOnline();
            ann.openChat("Ben Brown");
            ann.send("Still here after the token");
            ben.message("Still here after the token");
            assertThat(ann.js("return JSON.parse(localStorage.getItem('parley.session')).accessToken.startsWith('expired.')")).isEqualTo(false);
            assertThat(ann.js("return JSON.parse(localStorage.getItem('parley.session')).lifetime")).isEqualTo(6000L);

            // two and a half lifetimes later: refreshed before each expiry, the session and the live socket still work
            String tokenBefore = (String) ann.js("return JSON.parse(localStorage.getItem('parley.session')).accessToken");
            Thread.sleep(15_000);
            assertThat(ann.all(By.id("sign-in"))).as("no sign-in prompt").isEmpty();
            assertThat(ann.text(By.id("connection"))).isEqualTo("online");
            assertThat(ann.js("return JSON.parse(localStorage.getItem('parley.session')).accessToken")).isNotEqualTo(tokenBefore);

            // the inbox at the keyboard: arrows move between chats (the focus visible), Enter opens one
            ann.driver.findElement(By.cssSelector("#conversations button.conv")).sendKeys(Keys.ARROW_DOWN);
            assertThat(ann.js("const e = document.activeElement; return e.matches('#conversations button.conv:focus-visible')"
                    + " && getComputedStyle(e).outlineStyle !== 'none'")).isEqualTo(true);
            assertThat(ann.text(By.cssSelector("#conversations button.conv:focus .conv-title"))).isEqualTo("Cal Clark");
            ann.keys(Keys.ARROW_UP);
            assertThat(ann.text(By.cssSelector("#conversations button.conv:focus .conv-title"))).isEqualTo("Ben Brown");
            ann.keys(Keys.ARROW_DOWN, Keys.ENTER);
            ann.until(d -> "Cal Clark".equals(ann.text(By.id("conversation-title"))));
            ann.message("Hello from Cal");
            ann.send("After the short tokens");
            ann.message("After the short tokens");
            assertThat(texts(cal, calChat)).containsOnlyOnce("After the short tokens");

            // hidden tab: a new message raises a browser notification (permission granted) and counts in the title
            ann.js("window.shown = []; window.Notification = function (title, options) { window.shown.push(title + ': ' + options.body); this.close = () => {}; };"
                    + " window.Notification.permission = 'granted';"
                    + " Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
                    + " document.dispatchEvent(new Event('visibilitychange'));");
            ben.send("Are you there?");
            ann.until(d -> String.valueOf(ann.js("return window.shown.join('|')")).contains("Ben Brown: Are you there?"));
            ann.until(d -> String.valueOf(d.getTitle()).startsWith("(1) "));
            ann.js("delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange'));");
        } finally {
            ReflectionTestUtils.setField(tokenService, "properties", security);
        }

        // sign out ends the session: the sign-in card alone, and a reload stays signed out
        ann.click(By.id("menu-button"));
        ann.click(By.id("sign-out-button"));
        ann.until(d -> !d.findElements(By.id("sign-in")).isEmpty());
        assertThat(ann.all(By.id("app"))).isEmpty();
        ann.reload();
        ann.until(d -> !d.findElements(By.id("sign-in")).isEmpty());
    }

    @Test
    void groupWithSenderNamesAndManagement() {
        Account annAccount = account("Ann Archer");
        Account benAccount = account("Ben Brown");
        Account calAccount = account("Cal Clark");
        // a surname no other test account has: the people finder finds her by it alone
        String surname = "Q" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").substring(0, 5);
        Account doraAccount = account("Dora " + surname);
        User benUser = tokens(benAccount);
        String direct = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", annAccount.id()), benUser.accessToken()).json().get("id").asText();
        ann.signIn(annAccount.handle(), Api.PASSWORD);
        ann.click(By.id("menu-button"));
        ann.click(By.id("new-group-button"));
        ann.type(By.id("group-title"), "Team");
        ann.type(By.id("group-members"), benAccount.handle() + ", " + calAccount.handle());
        ann.click(By.id("create-group-button"));
        ann.until(d -> "Team".equals(ann.text(By.id("conversation-title"))));
        ann.until(d -> !d.findElements(By.xpath("//li[contains(@class,'start')]/span[starts-with(text(),'Group “Team”, created today')]")).isEmpty());
        ann.send("Welcome both");
        ann.message("Welcome both");

        User cal = tokens(calAccount);
        String group = api.get("/api/conversations", cal.accessToken()).json().get(0).get("id").asText();
        api.post("/api/conversations/" + group + "/messages", Map.of("clientMessageId", UUID.randomUUID().toString(), "text", "Hi from Cal"), cal.accessToken());

        ben.signIn(benAccount.handle(), Api.PASSWORD);
        ben.until(d -> String.valueOf(d.getTitle()).startsWith("(2) "));
        ben.openChat("Team");
        ben.until(d -> !String.valueOf(d.getTitle()).startsWith("("));
        assertThat(ben.message("Hi from Cal").findElement(By.cssSelector(".sender")).getText()).isEqualTo("Cal Clark");
        assertThat(ben.message("Welcome both").findElement(By.cssSelector(".sender")).getText()).isEqualTo("Ann Archer");
        ben.send("Hi from Ben");
        ann.until(d -> ann.messageHas("Hi from Ben", ".sender"));
        assertThat(ann.message("Hi from Ben").findElement(By.cssSelector(".sender")).getText()).isEqualTo("Ben Brown");
        assertThat(ann.message("Hi from Cal").findElement(By.cssSelector(".sender")).getText()).isEqualTo("Cal Clark");

        // "@" offers the other members and @all, the arrows walk them, typing narrows, Enter writes the mention
        WebElement composer = ben.driver.findElement(By.id("composer-text"));
        composer.sendKeys("Look @");
        ben.until(d -> d.findElements(By.cssSelector("#mention-picker li.suggestion")).size() == 3);
        assertThat(ben.text(By.id("mention-picker"))).contains("Ann Archer").contains("Cal Clark").contains("@all");
        assertThat(ben.driver.findElement(By.cssSelector("#mention-picker li.current")).getAttribute("data-id")).isEqualTo(annAccount.id());
        composer.sendKeys(Keys.ARROW_DOWN);
        assertThat(ben.driver.findElement(By.cssSelector("#mention-picker li.current")).getAttribute("data-id")).isEqualTo(calAccount.id());
        composer.sendKeys(Keys.ARROW_UP);
        composer.sendKeys("an");
        ben.until(d -> d.findElements(By.cssSelector("#mention-picker li.suggestion")).size() == 1);
        composer.sendKeys(Keys.ENTER);
        assertThat(composer.getAttribute("value")).isEqualTo("Look @Ann Archer ");
        composer.sendKeys("here", Keys.ENTER);
        By mentioned = By.xpath("//li[contains(@class,'msg') and @data-seq][.//span[contains(@class,'mention') and text()='@Ann Archer']]");
        ann.until(d -> !d.findElements(mentioned).isEmpty());
        assertThat(ann.driver.findElement(mentioned).findElement(By.cssSelector(".mention")).getAttribute("class").split(" ")).contains("me");
        assertThat(ann.driver.findElement(mentioned).findElement(By.cssSelector(".text")).getText()).isEqualTo("Look @Ann Archer here");
        ben.until(d -> !d.findElements(mentioned).isEmpty());
        assertThat(ben.driver.findElement(mentioned).findElement(By.cssSelector(".mention")).getAttribute("class").split(" ")).doesNotContain("me");
        JsonNode stored = api.get("/api/conversations/" + group + "/messages", cal.accessToken()).json().get("messages");
        assertThat(StreamSupport.stream(stored.spliterator(), false).filter(m -> "Look @Ann Archer here".equals(m.path("text").asText()))
                .map(m -> m.get("mentions").toString()).toList()).containsExactly("[\"" + annAccount.id() + "\"]");
        ann.screenshot("04-group");

        // a draft stays with its chat: Ben starts one here, another in the direct chat, and finds each again
        ben.type(By.id("composer-text"), "Draft for the team");
        ben.openChat("Ann Archer");
        assertThat(ben.driver.findElement(By.id("composer-text")).getAttribute("value")).isEmpty();
        ben.type(By.id("composer-text"), "Draft for Ann");

        // Ann forwards Cal's message into her direct chat with Ben: it arrives labelled "Forwarded"
        ann.messageAction("Hi from Cal", "[data-action='forward']");
        ann.click(By.cssSelector("#forward-targets input[data-id='" + direct + "']"));
        assertThat(ann.unlabelled()).as("controls without a name, forward").isEmpty();
        ann.click(By.id("forward-button"));
        ben.until(d -> ben.messageHas("Hi from Cal", ".forwarded"));
        assertThat(ben.text(By.cssSelector("li.msg .forwarded"))).contains("Forwarded");

        ben.openChat("Team");
        assertThat(ben.driver.findElement(By.id("composer-text")).getAttribute("value")).isEqualTo("Draft for the team");
        ben.openChat("Ann Archer");
        assertThat(ben.driver.findElement(By.id("composer-text")).getAttribute("value")).isEqualTo("Draft for Ann");
        ben.js("return new Promise((resolve) => setTimeout(resolve, 600))");   // drafts are stored a moment after typing
        ben.reload();
        ben.waitOnline();
        ben.openChat("Team");
        assertThat(ben.driver.findElement(By.id("composer-text")).getAttribute("value")).isEqualTo("Draft for the team");

        // the admin renames and removes; both lines name the people
        ann.openChat("Team");
        ann.click(By.id("chat-info-button"));
        assertThat(ann.unlabelled()).as("controls without a name, group info").isEmpty();
        ann.type(By.id("rename-input"), "Team Two");
        ann.click(By.id("rename-button"));
        ben.until(d -> "Team Two".equals(ben.text(By.id("conversation-title"))));
        ben.until(d -> !d.findElements(By.xpath("//li[contains(@class,'system')]/span[text()='Ann Archer renamed the group to “Team Two”']")).isEmpty());

        // add a member found by her display name, picked with the keyboard
        ann.type(By.id("add-member-input"), surname.toLowerCase().substring(0, 4));
        ann.until(d -> !d.findElements(By.xpath("//ul[@id='add-member-input-suggestions']/li[contains(@class,'current')][.//span[text()='Dora " + surname + "']]")).isEmpty());
        ann.driver.findElement(By.id("add-member-input")).sendKeys(Keys.ENTER);
        ben.until(d -> !d.findElements(By.xpath("//li[contains(@class,'system')]/span[text()='Ann Archer added Dora " + surname + "']")).isEmpty());
        ann.click(By.xpath("//button[@aria-label='Remove Cal Clark']"));
        ben.until(d -> !d.findElements(By.xpath("//li[contains(@class,'system')]/span[text()='Ann Archer removed Cal Clark']")).isEmpty());
        ann.until(d -> !d.findElements(By.xpath("//li[contains(@class,'system')]/span[text()='You removed Cal Clark']")).isEmpty());
        ann.driver.findElement(By.cssSelector("dialog [aria-label='Close']")).click();

        // Ben leaves: the composer gives way to a notice, Ann sees the line
        ben.click(By.id("chat-info-button"));
        ben.click(By.id("leave-button"));
        ben.driver.switchTo().alert().accept();
        ann.until(d -> !d.findElements(By.xpath("//li[contains(@class,'system')]/span[text()='Ben Brown left']")).isEmpty());
        ben.until(d -> d.findElements(By.id("composer-text")).isEmpty());
    }

    @Test
    void offlineSendIsDeliveredExactlyOnceAfterReconnect() {
        Account annAccount = account("Ann Archer");
        Account benAccount = account("Ben Brown");
        User benUser = tokens(benAccount);
        String chat = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", annAccount.id()), benUser.accessToken()).json().get("id").asText();
        sendAs(benUser, chat, "Before you went");
        ann.signIn(annAccount.handle(), Api.PASSWORD);
        ann.openChat("Ben Brown");
        ann.message("Before you went");

        ann.offline();
        ann.until(d -> !"online".equals(ann.text(By.id("connection"))));
        ann.send("Sent while offline");
        ann.until(d -> !d.findElements(By.xpath("//li[contains(@class,'pending')][.//span[text()='Sent while offline']]")).isEmpty());
        sendAs(benUser, chat, "While you were away");
        assertThat(texts(benUser, chat)).doesNotContain("Sent while offline");
        ann.screenshot("05-offline-pending");

        ann.online();
        ann.waitOnline();
        ann.message("Sent while offline");
        ann.message("While you were away");
        ann.until(d -> d.findElements(By.cssSelector("li.pending")).isEmpty());
        assertThat(texts(benUser, chat)).containsOnlyOnce("Sent while offline");
        ann.reload();
        ann.waitOnline();
        ann.openChat("Ben Brown");
        ann.message("While you were away");
        assertThat(ann.all(Browser.messageBy("Sent while offline"))).hasSize(1);
        assertThat(texts(benUser, chat)).containsOnlyOnce("Sent while offline");

        // a message the server refuses is marked failed, with retry and discard
        ann.js("const t = document.getElementById('composer-text'); t.removeAttribute('maxlength'); t.value = 'x'.repeat(65537);");
        ann.click(By.id("send-button"));
        ann.until(d -> !d.findElements(By.cssSelector("li.pending .failed .retry")).isEmpty());
        ann.click(By.xpath("//li[contains(@class,'pending')]//button[text()='Discard']"));
        ann.until(d -> d.findElements(By.cssSelector("li.pending")).isEmpty());
    }

    @Test
    void mobileViewportLongWordsAndScrollBackThroughThreeHundred() {
        Account annAccount = account("Ann Archer");
        Account benAccount = account("Ben Brown");
        User annUser = tokens(annAccount);
        User benUser = tokens(benAccount);
        String chat = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", annAccount.id()), benUser.accessToken()).json().get("id").asText();
        for (int i = 1; i <= 299; i++) {
            sendAs(i % 2 == 0 ? annUser : benUser, chat, "Message number " + i);
        }
        String longWord = "A".repeat(400);
        sendAs(benUser, chat, longWord);

        ann.mobile();
        ann.signIn(annAccount.handle(), Api.PASSWORD);
        long width = (Long) ann.js("return window.innerWidth");
        assertThat(width).isEqualTo(390);
        assertThat(ann.js("return window.innerHeight")).isEqualTo(844L);
        assertThat(ann.js("return document.documentElement.scrollWidth")).isEqualTo(width);
        assertThat(ann.driver.findElement(By.id("conversation")).isDisplayed()).isFalse();
        ann.openChat("Ben Brown");
        assertThat(ann.driver.findElement(By.id("conversations")).isDisplayed()).isFalse();
        WebElement bubble = ann.message(longWord).findElement(By.cssSelector(".bubble"));
        assertThat(bubble.getRect().getX() + bubble.getRect().getWidth()).isLessThanOrEqualTo((int) width);
        assertThat(ann.js("return document.documentElement.scrollWidth")).isEqualTo(width);
        assertThat(ann.js("return document.getElementById('timeline').scrollWidth <= document.getElementById('timeline').clientWidth")).isEqualTo(true);
        ann.screenshot("06-mobile-long-word");

        // scroll back page by page: each older page lands above without moving what the reader looks at
        By stored = By.cssSelector("li.msg[data-seq]");
        for (int round = 0; round < 10 && ann.all(By.xpath("//li[contains(@class,'system')]/span[text()='Start of your chat with Ben Brown']")).isEmpty(); round++) {
            int before = ann.all(stored).size();
            String anchorSeq = ann.all(stored).get(0).getAttribute("data-seq");
            double top = ((Number) ann.js("const t = document.getElementById('timeline'); t.scrollTop = 0;"
                    + " return document.querySelector(\"li[data-seq='" + anchorSeq + "']\").getBoundingClientRect().top")).doubleValue();
            ann.until(d -> ann.all(stored).size() > before);
            double after = ((Number) ann.js("return document.querySelector(\"li[data-seq='" + anchorSeq + "']\").getBoundingClientRect().top")).doubleValue();
            assertThat(Math.abs(after - top)).as("the message in view stays in place").isLessThan(30.0);
        }
        assertThat(ann.all(stored)).hasSize(300);
        assertThat(ann.message("Message number 1").isDisplayed()).isTrue();

        // scrolled up, an incoming message does not move the view; the jump button counts it
        ann.js("document.getElementById('timeline').scrollTop = 0");
        sendAs(benUser, chat, "New while you read old ones");
        ann.until(d -> "1".equals(ann.text(By.id("jump-count"))));
        assertThat(((Number) ann.js("return document.getElementById('timeline').scrollTop")).doubleValue()).isLessThan(5.0);
        ann.click(By.id("jump-to-bottom"));
        ann.until(d -> ann.message("New while you read old ones").isDisplayed()
                && (Boolean) ann.js("const t = document.getElementById('timeline'); return t.scrollHeight - t.scrollTop - t.clientHeight < 50"));

        ann.click(By.id("back-button"));
        ann.until(d -> ann.driver.findElement(By.id("conversations")).isDisplayed());
        assertThat(ann.driver.findElement(By.id("conversation")).isDisplayed()).isFalse();
        ann.screenshot("07-mobile-inbox");
    }

    @Test
    void mediaSearchAndAnalystDashboard() throws Exception {
        Account annAccount = account("Ann Archer");
        Account benAccount = account("Ben Brown");
        User admin = api.admin();
        assertThat(api.put("/api/admin/accounts/" + annAccount.id() + "/roles", Map.of("roles", List.of("ANALYST", "AUDITOR")), admin.accessToken()).status()).isEqualTo(204);
        User benUser = tokens(benAccount);
        String chat = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", annAccount.id()), benUser.accessToken()).json().get("id").asText();
        String word = "zebra" + UUID.randomUUID().toString().substring(0, 6);
        sendAs(benUser, chat, "Have you seen the " + word + " today?");
        for (int i = 0; i < 30; i++) {
            sendAs(benUser, chat, "Filler " + i);
        }

        ann.signIn(annAccount.handle(), Api.PASSWORD);
        ann.openChat("Ben Brown");
        Path picture = Files.createTempFile("picture", ".png");
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 120; x++) for (int y = 0; y < 80; y++) image.setRGB(x, y, (x * 2) << 16 | (y * 3) << 8 | 128);
        javax.imageio.ImageIO.write(image, "png", picture.toFile());
        ann.driver.findElement(By.id("attachment")).sendKeys(picture.toAbsolutePath().toString());
        By stored = By.cssSelector("li.msg.mine[data-seq] .media-image img");
        ann.until(d -> !d.findElements(stored).isEmpty() && String.valueOf(d.findElement(stored).getAttribute("src")).startsWith("blob:"));
        ann.click(By.cssSelector("li.msg.mine[data-seq] .media-image"));
        ann.until(d -> (Boolean) ann.js("const i = document.querySelector('#viewer img'); return !!i && i.complete && i.naturalWidth === 120"));
        ann.screenshot("08-image-viewer");
        ann.js("document.getElementById('viewer').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))");
        ann.until(d -> d.findElements(By.id("viewer")).isEmpty());
        JsonNode history = api.get("/api/conversations/" + chat + "/messages", benUser.accessToken()).json().get("messages");
        assertThat(StreamSupport.stream(history.spliterator(), false).filter(m -> "IMAGE".equals(m.path("type").asText())).count()).isEqualTo(1);

        // a video plays from the server itself (Range requests through the media worker), knows its length and seeks
        Path clip = io.parley.command.media.TestMediaFiles.h264Mp4(Files.createTempDirectory("clip"), 160, 96, 25);
        ann.driver.findElement(By.id("attachment")).sendKeys(clip.toAbsolutePath().toString());
        ann.click(By.cssSelector("li.msg.mine[data-seq] .media-video button.primary"));
        ann.until(d -> (Boolean) ann.js("const v = document.querySelector('li.msg .media-video video');"
                + " return !!v && v.readyState >= 1 && Math.abs(v.duration - 1) < 0.1"));
        assertThat((String) ann.js("return document.querySelector('li.msg .media-video video').src")).startsWith("http://127.0.0.1:" + port + "/api/media/");
        ann.js("const v = document.querySelector('li.msg .media-video video'); v.pause(); v.currentTime = 0.6;");
        ann.until(d -> (Boolean) ann.js("const v = document.querySelector('li.msg .media-video video');"
                + " return !v.seeking && Math.abs(v.currentTime - 0.6) < 0.05 && v.readyState >= 2"));
        ann.screenshot("08b-video");

        // search across chats: the hit is highlighted and opens the chat at that message
        ann.until(d -> {
            ann.type(By.id("search"), word);
            ann.driver.findElement(By.id("search")).sendKeys("\n");
            return !d.findElements(By.cssSelector("button.hit mark")).isEmpty();
        });
        assertThat(ann.text(By.cssSelector("button.hit mark"))).isEqualToIgnoringCase(word);
        ann.screenshot("09-search");
        ann.click(By.cssSelector("button.hit"));
        ann.until(d -> !d.findElements(By.cssSelector("li.msg.flash")).isEmpty());
        assertThat(ann.text(By.cssSelector("li.msg.flash"))).contains(word);
        // ...and within one chat
        ann.click(By.id("search-in-chat"));
        ann.type(By.id("search"), word);
        ann.driver.findElement(By.id("search")).sendKeys("\n");
        ann.until(d -> String.valueOf(ann.text(By.id("search-scope"))).contains("Ben Brown")
                && !d.findElements(By.cssSelector("button.hit mark")).isEmpty());

        // the analyst's dashboard draws its charts from the real figures
        ann.click(By.id("menu-button"));
        ann.click(By.id("open-analytics"));
        ann.until(d -> !d.findElements(By.cssSelector("#volume-chart canvas")).isEmpty()
                && !d.findElements(By.cssSelector("#senders-chart canvas")).isEmpty());
        ann.until(d -> {
            if (ann.text(By.id("media-mix")).contains("IMAGE")) return true;
            ann.click(By.id("analytics-refresh"));   // the search index follows the event store by a second or so
            return false;
        });
        assertThat(ann.text(By.id("lag"))).isNotBlank();
        ann.screenshot("10-analytics");

        // the auditor's console: the event browser over the store, and the chain verified
        ann.click(By.id("close-view"));
        ann.click(By.id("menu-button"));
        ann.click(By.id("open-audit"));
        ann.until(d -> !d.findElements(By.cssSelector("#audit-events tbody tr")).isEmpty());
        ann.until(d -> String.valueOf(ann.text(By.id("audit-verify"))).contains("Chain intact"));
        ann.until(d -> !d.findElements(By.id("audit-next")).isEmpty());   // 50 a page: the whole store has more
        ann.click(By.id("audit-next"));
        ann.until(d -> String.valueOf(ann.text(By.id("audit-page"))).startsWith("Page 2"));
        ann.type(By.id("audit-conversation"), chat);
        ann.click(By.id("audit-search"));
        ann.until(d -> String.valueOf(ann.text(By.id("audit-events"))).contains(word));
        assertThat(ann.text(By.id("audit-page"))).startsWith("Page 1");
        // the conversation as it stood at an instant (now), and the export of the filtered events
        ann.click(By.id("audit-state-button"));
        ann.until(d -> String.valueOf(ann.text(By.id("audit-state"))).contains("messages as of"));
        assertThat(ann.text(By.id("audit-state"))).contains("Filler 29");
        ann.click(By.id("audit-export"));
        ann.until(d -> String.valueOf(ann.text(By.id("audit-export-status"))).matches("Exported \\d+ events"));
        assertThat(ann.unlabelled()).as("controls without a name, audit").isEmpty();
        ann.screenshot("11-audit");
    }

    @Test
    void staticFilesAreCompressedAndRevalidated() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI main = java.net.URI.create("http://127.0.0.1:" + port + "/client/main.js");
        java.net.http.HttpResponse<byte[]> first = http.send(java.net.http.HttpRequest.newBuilder(main)
                .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        java.net.http.HttpResponse<byte[]> again = http.send(java.net.http.HttpRequest.newBuilder(main)
                .header("If-Modified-Since", lastModified).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/client/favicon.svg")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    private void sendAs(User user, String conversation, String text) {
        for (int attempt = 0; ; attempt++) {
            Api.Response r = api.post("/api/conversations/" + conversation + "/messages",
                    Map.of("clientMessageId", UUID.randomUUID().toString(), "text", text), user.accessToken());
            if (r.status() == 201) return;
            assertThat(r.status()).as(r.body()).isEqualTo(429);
            assertThat(attempt).isLessThan(50);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private List<String> texts(User user, String conversation) {
        List<String> texts = new ArrayList<>();
        for (JsonNode m : api.get("/api/conversations/" + conversation + "/messages?limit=200", user.accessToken()).json().get("messages")) {
            texts.add(m.path("text").asText());
        }
        return texts;
    }
}
